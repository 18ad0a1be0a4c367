// Licensed under the MIT License.

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// The sample's spend page (/spend.html) in headless Debian Chromium driven by Playwright: with an admin key it plots
/// spend over time and by key from <c>GET /v1/spend</c>; a wrong key shows the gateway's 401 message.
/// </summary>
public sealed class SpendPageTests
{
    private static readonly string s_chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_PlotsSpendOverTimeAndByKey_AndShowsAWrongKeysError()
    {
        await using var gateway = await RunningGateway.StartAsync(cancellationToken: Ct);
        foreach (var (key, model) in new[] { (RunningGateway.DemoKey, "default"), (RunningGateway.DemoKey, "default"), (RunningGateway.LimitedKey, "fast") })
        {
            using var response = await gateway.Http.SendAsync(gateway.Post("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello"}]}""", key), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(File.Exists(s_chromium), $"Chromium is not at {s_chromium}: run 'bash eng/install-test-deps.sh'.");
        var userData = Directory.CreateTempSubdirectory("llmadapters-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var context = await playwright.Chromium.LaunchPersistentContextAsync(userData.FullName, new()
            {
                ExecutablePath = s_chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                ViewportSize = new() { Width = 1000, Height = 900 },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();

            await page.GotoAsync(gateway.BaseAddress.ToString());
            Assert.EndsWith("/spend.html", page.Url, StringComparison.Ordinal);

            // A wrong key: the gateway's 401 message, nothing plotted.
            await page.FillAsync("#key", "sk-not-a-key");
            await page.ClickAsync("#load");
            await page.WaitForSelectorAsync("#error", new() { State = WaitForSelectorState.Visible });
            Assert.Contains("not valid", await page.TextContentAsync("#error"), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#groups rect").CountAsync());

            // The admin key: every key's spend, over time and by key.
            await page.FillAsync("#key", RunningGateway.DemoKey);
            await page.ClickAsync("#load");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#groups rect.group').length === 2");
            Assert.False(await page.IsVisibleAsync("#error"));
            Assert.Matches(new Regex(@"^\$0\.\d{6}$"), await page.TextContentAsync("#total"));
            Assert.Equal("3 calls", await page.TextContentAsync("#calls"));
            Assert.True(await page.Locator("#series rect.bar").CountAsync() >= 2, "the last hour's bar has a segment per key");
            var rows = await page.Locator("#table tr td:first-child").AllTextContentsAsync();
            Assert.Equal(["test", "limited"], rows);

            // Grouped by model instead.
            await page.SelectOptionAsync("#group", "model");
            await page.ClickAsync("#load");
            await page.WaitForFunctionAsync("() => document.querySelector('#namehead').textContent === 'Model'");
            Assert.Equal(["gpt-4o-mini"], await page.Locator("#table tr td:first-child").AllTextContentsAsync());
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "llmadapters-gateway-spend.png") });
        }
        finally
        {
            userData.Delete(recursive: true);
        }
    }
}
