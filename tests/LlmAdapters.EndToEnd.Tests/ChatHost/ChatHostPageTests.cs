// Licensed under the MIT License.

using System.Text.RegularExpressions;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Redis;
using LlmAdapters.TestUtilities.Redis;
using Microsoft.Playwright;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>
/// The chat host's page end to end in headless Chromium (Debian's <c>chromium</c>, which eng/install-test-deps.sh
/// installs), driven by Playwright at a phone's width of 390 px: tokens stream, markdown renders without raw HTML,
/// latency and session figures show, a tool call appears as it happens, an error event is rendered, and a client switch
/// asks before it clears the chat.
/// </summary>
public sealed class ChatHostPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Page_ChatsStreamsRendersFiguresToolCallsErrorsAndConfirmsASwitch()
    {
        // Slow enough chunks that the reply is seen while it streams.
        await using var host = await RunningChatHost.StartAsync(new Dictionary<string, string?> { ["Emulator:ChunkDelay"] = "00:00:00.040" }, Ct);
        await using var browser = await PhoneBrowser.LaunchAsync();
        var page = browser.Page;
        var dialogs = new List<string>();
        var acceptDialogs = false;
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            if (acceptDialogs)
            {
                await dialog.AcceptAsync();
            }
            else
            {
                await dialog.DismissAsync();
            }
        };

        await page.GotoAsync(host.BaseAddress.ToString());
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#client option').length > 1");

        // The emulator banner.
        Assert.True(await page.IsVisibleAsync("#banner"));
        Assert.Contains("built-in emulator", await page.TextContentAsync("#banner"), StringComparison.Ordinal);

        // Tokens stream: the reply grows before its figures arrive. The prompt carries markdown and raw HTML,
        // which the emulator echoes back: the markdown renders, the HTML stays text.
        await page.FillAsync("#prompt", "Please answer with **bold** words <img src=x onerror=\"window.__injected=1\"> and more words to stream");
        await page.PressAsync("#prompt", "Enter");
        await page.WaitForFunctionAsync("() => { const b = document.querySelector('.assistant .body'); return b && b.textContent.length > 0 && !document.querySelector('.assistant .figures'); }");
        var early = (await page.TextContentAsync(".assistant .body"))!.Length;
        await page.WaitForSelectorAsync(".assistant .figures");
        var late = (await page.TextContentAsync(".assistant .body"))!.Length;
        Assert.True(late > early, $"the reply should grow as it streams ({early} then {late} characters)");

        Assert.Equal("bold", await page.TextContentAsync(".assistant .body strong"));
        Assert.Equal(0, await page.Locator(".assistant .body img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__injected === undefined"));
        Assert.Contains("<img src=x", await page.TextContentAsync(".assistant .body"), StringComparison.Ordinal);

        // The figures: latency and cost per reply, and the session total.
        Assert.Matches(new Regex(@"model gpt-4o-mini · \d+ in / \d+ out tokens · first token \d+ ms · total \d+ ms · cost \$0\.\d+ · finish stop"), await page.TextContentAsync(".assistant .figures"));
        Assert.Matches(new Regex(@"Session: 1 reply · \d+ in / \d+ out tokens · total cost \$0\.\d+"), await page.TextContentAsync("#session"));
        Assert.False(await page.IsVisibleAsync("#ledger"), "without AI:Redis there is no shared ledger to show");

        // A tool call, shown as it happens, then its result, then the answer that quotes it.
        await page.FillAsync("#prompt", "call get_weather city=Paris");
        await page.PressAsync("#prompt", "Enter");
        await page.WaitForSelectorAsync(".assistant .tool");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.assistant .figures').length === 2");
        var tool = await page.TextContentAsync(".assistant .tool");
        Assert.Matches(new Regex(@"get_weather\(city=Paris\) → \w+, \d+ °C in Paris"), tool);
        Assert.Contains("The tool returned:", await page.Locator(".assistant .body").Last.TextContentAsync(), StringComparison.Ordinal);
        Assert.Matches(new Regex(@"Session: 2 replies"), await page.TextContentAsync("#session"));

        // An error event from the provider is rendered with its kind.
        host.Emulator!.Faults.Enqueue(EmulatorFault.Status(401));
        await page.FillAsync("#prompt", "this one fails");
        await page.PressAsync("#prompt", "Enter");
        await page.WaitForSelectorAsync(".assistant.error .figures");
        Assert.StartsWith("Authentication:", await page.TextContentAsync(".assistant.error .figures"), StringComparison.Ordinal);

        // Usable at 390 px: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");

        // A client switch asks first: dismissed, nothing changes; accepted, the chat is cleared.
        await page.SelectOptionAsync("#client", "welcome");
        Assert.Single(dialogs);
        Assert.Contains("clears this one", dialogs[0], StringComparison.Ordinal);
        Assert.Equal("default", await page.EvalOnSelectorAsync<string>("#client", "s => s.value"));
        Assert.Equal(6, await page.Locator("#log .turn").CountAsync());

        acceptDialogs = true;
        await page.SelectOptionAsync("#client", "welcome");
        Assert.Equal(2, dialogs.Count);
        Assert.Equal(0, await page.Locator("#log .turn").CountAsync());
    }

    /// <summary>
    /// Issue #12: with <c>AI:Redis</c> set, the page shows the ledger every replica shares, beside its own session: a call
    /// another replica recorded is counted before this page sends anything, and this page's reply adds to it.
    /// </summary>
    [Fact]
    public async Task Page_WithRedis_ShowsTheTotalOfEveryReplica()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"page-{Guid.NewGuid():N}:";

        // Another replica's call, recorded in the shared ledger before this host starts.
        var otherReplica = new RedisCostLedger(redis.Connection, new RedisStateOptions { Configuration = redis.Configuration, KeyPrefix = prefix });
        otherReplica.Record(new CostEntry
        {
            Timestamp = TimeProvider.System.GetUtcNow(),
            ClientName = "default",
            Provider = "openai",
            ModelId = "gpt-4o-mini",
            Cost = new ChatCost { Total = 0.25m },
            InputTokens = 10,
            OutputTokens = 20,
        });
        Assert.Equal(1, (await otherReplica.GetTotalAsync(cancellationToken: Ct)).Calls);   // written (Record does not wait)

        await using var host = await RunningChatHost.StartAsync(
            new Dictionary<string, string?> { ["AI:Redis:Configuration"] = redis.Configuration, ["AI:Redis:KeyPrefix"] = prefix }, Ct);
        await using var browser = await PhoneBrowser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(host.BaseAddress.ToString());
        await page.WaitForSelectorAsync("#ledger", new() { State = WaitForSelectorState.Visible });
        Assert.Equal("All replicas (shared ledger on Redis): 1 call · total cost $0.25", await page.TextContentAsync("#ledger"));

        await page.FillAsync("#prompt", "Hello from this replica");
        await page.PressAsync("#prompt", "Enter");
        await page.WaitForFunctionAsync("() => document.querySelector('#ledger').textContent.includes('2 calls')");
        Assert.Matches(new Regex(@"^All replicas \(shared ledger on Redis\): 2 calls · total cost \$0\.25\d+$"), await page.TextContentAsync("#ledger"));
        Assert.Matches(new Regex(@"Session: 1 reply · .* total cost \$0\.0\d+"), await page.TextContentAsync("#session"));
    }

    /// <summary>Headless Debian Chromium at a phone's width, in a temporary profile removed on dispose.</summary>
    private sealed class PhoneBrowser : IAsyncDisposable
    {
        /// <summary>Where Debian's chromium package puts the browser; <c>CHROMIUM_PATH</c> overrides it.</summary>
        private static readonly string s_chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

        private readonly DirectoryInfo _userData;
        private readonly IPlaywright _playwright;
        private readonly IBrowserContext _context;

        private PhoneBrowser(DirectoryInfo userData, IPlaywright playwright, IBrowserContext context, IPage page)
        {
            _userData = userData;
            _playwright = playwright;
            _context = context;
            Page = page;
        }

        public IPage Page { get; }

        public static async Task<PhoneBrowser> LaunchAsync()
        {
            Assert.True(File.Exists(s_chromium), $"Chromium is not at {s_chromium}: run 'bash eng/install-test-deps.sh' (the README's test command does).");
            var userData = Directory.CreateTempSubdirectory("llmadapters-chromium-");
            var playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(userData.FullName, new()
            {
                ExecutablePath = s_chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                ViewportSize = new() { Width = 390, Height = 844 },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new PhoneBrowser(userData, playwright, context, page);
        }

        public async ValueTask DisposeAsync()
        {
            await _context.DisposeAsync();
            _playwright.Dispose();
            _userData.Delete(recursive: true);
        }
    }
}
