// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.Tests;

/// <summary>The chat CLI, run as a process the way the README tells a user to, on the in-process emulator.</summary>
public sealed class ChatCliTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string? input, Dictionary<string, string>? environment, params string[] args)
    {
        await using var cli = CliProcess.Start(environment, args);
        if (input is not null)
        {
            await cli.WriteAsync(input);
        }

        return await cli.FinishAsync();
    }

    [Fact]
    public async Task Prompt_NoProviderConfigured_StreamsReplyFromEmulatorWithFigures()
    {
        var (exit, output, error) = await RunAsync(null, null, "Hello");

        Assert.Equal(0, exit);
        Assert.Contains("AI:Provider is 'emulator': replies come from the built-in emulator at http://127.0.0.1:", error, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("You said \"Hello\".", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^\[model gpt-4o-mini · 15 in / \d+ out tokens · first token \d+ ms · total \d+ ms · cost \$0\.\d+ · session \$0\.\d+\]$", lines[1].TrimEnd());
    }

    [Theory]
    [InlineData("anthropic", "ANTHROPIC_API_KEY")]
    [InlineData("openai", "OPENAI_API_KEY")]
    public async Task Prompt_RealProviderWithoutKey_FailsWithNeedsAnApiKey_NeverAnswersFromTheEmulator(string provider, string variable)
    {
        var (exit, output, error) = await RunAsync(null, new() { ["AI__Provider"] = provider }, "Hello");

        Assert.Equal(1, exit);
        Assert.Contains($"AI:ApiKey is not set and the environment variable {variable} is empty: the '{provider}' provider needs an API key.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("emulator", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Json_VerboseLogging_StdoutIsOnlyTheJson(bool stream)
    {
        // Trace-level logs (the HTTP client's, the pipeline's) must all go to stderr.
        string[] args = stream ? ["--json", "Hi"] : ["--json", "--no-stream", "Hi"];
        var (exit, output, error) = await RunAsync(null, new() { ["Logging__LogLevel__Default"] = "Trace" }, args);

        Assert.Equal(0, exit);
        Assert.Contains("LlmAdapters", error, StringComparison.Ordinal);
        foreach (var marker in new[] { "trce:", "dbug:", "info:", "warn:", "fail:" })
        {
            Assert.DoesNotContain(marker, output, StringComparison.Ordinal);
        }

        if (!stream)
        {
            using var parsed = JsonDocument.Parse(output);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
    }

    [Theory]
    [InlineData("sk-proj-Lw2Zt9Km4Xp1Rs8Vb3Nc6Jd0\nX-Injected: 1")]
    [InlineData("gateway-token-\r\n12345678")]
    [InlineData("clé-secrète-12345678")]
    public async Task Prompt_KeyAHeaderCannotCarry_RefusedBeforeAnyRequestWithoutPrintingIt(string key)
    {
        var (exit, output, error) = await RunAsync(null, new() { ["AI__Provider"] = "openai", ["AI__ApiKey"] = key, ["AI__Endpoint"] = "http://127.0.0.1:9/v1" }, "Hi");

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.Contains("ApiKey", error, StringComparison.Ordinal);
        foreach (var part in key.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotContain(part, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_NoStream_PrintsAWholeChatResponse()
    {
        var (exit, output, _) = await RunAsync(null, null, "--json", "--no-stream", "--client", "welcome", "Hi");

        Assert.Equal(0, exit);
        var response = JsonSerializer.Deserialize<ChatResponse>(output, AIJsonUtilities.DefaultOptions)!;
        Assert.StartsWith("You said \"Hi\".", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Interactive_KeepsHistoryAcrossTurns()
    {
        var (exit, output, _) = await RunAsync("first question\nsecond question\n/exit\n", null);

        Assert.Equal(0, exit);
        Assert.Contains("Chatting with 'default'", output, StringComparison.Ordinal);
        Assert.Contains("You said \"first question\".", output, StringComparison.Ordinal);
        Assert.Contains("You said \"second question\".", output, StringComparison.Ordinal);

        // The second turn sends the first turn again: more input tokens than the first turn's 18.
        var inputs = System.Text.RegularExpressions.Regex.Matches(output, @"· (\d+) in /").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(2, inputs.Count);
        Assert.True(inputs[1] > inputs[0] * 2, $"second turn input {inputs[1]} should include the first turn ({inputs[0]})");
    }

    [Fact]
    public async Task UnknownProvider_ExitsWithTheValidationMessage()
    {
        var (exit, _, error) = await RunAsync(null, new() { ["AI__Provider"] = "nope", ["AI__ApiKey"] = "x" }, "Hi");

        Assert.Equal(1, exit);
        Assert.Contains("AI:Provider is 'nope', which is not a known provider. Known providers: anthropic,", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownClient_ListsTheConfiguredOnes()
    {
        var (exit, _, error) = await RunAsync(null, null, "--client", "nobody", "Hi");

        Assert.Equal(1, exit);
        Assert.Contains("No chat client named 'nobody' is configured. Configured clients: default, welcome", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_PrintsUsage()
    {
        var (exit, _, error) = await RunAsync(null, null, "--frobnicate");

        Assert.Equal(2, exit);
        Assert.Contains("Unknown option '--frobnicate'.", error, StringComparison.Ordinal);
        Assert.Contains("Run 'llm-chat --help'", error, StringComparison.Ordinal);
    }
}
