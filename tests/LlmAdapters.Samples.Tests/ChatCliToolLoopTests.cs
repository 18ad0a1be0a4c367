// Licensed under the MIT License.

using LlmAdapters.Emulator;

namespace LlmAdapters.Samples.Tests;

/// <summary>
/// Issue 21: a model that keeps calling tools with bad arguments costs at most 5 provider requests per user call through
/// the CLI's configured pipeline with the defaults (it costs 3), and the CLI prints one clear line. The CLI runs as a
/// process on its own appsettings.json, pointed at an emulator of this test that answers every request with the call.
/// </summary>
public sealed class ChatCliToolLoopTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelLoopsOnBadToolArguments_AtMostFiveRequests_OneErrorLine(bool noStream)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        emulator.Replies.Enqueue(new EmulatorReply { ToolCalls = { new EmulatorToolCall("get_weather", "{\"city\": \"Par") }, Times = 100 });
        var environment = new Dictionary<string, string>
        {
            ["AI__Provider"] = "openai",
            ["AI__Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI__ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI__Model"] = "gpt-4o-mini",
        };
        string[] args = noStream ? ["--no-stream", "What is the weather in Paris?"] : ["What is the weather in Paris?"];

        await using var cli = CliProcess.Start(environment, args);
        var (exit, _, error) = await cli.FinishAsync();

        Assert.Equal(1, exit);
        Assert.InRange(emulator.RequestCount, 1, 5);
        Assert.Equal(3, emulator.RequestCount);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal))
            .ToList();
        Assert.True(lines.Count == 1, error);
        var line = lines[0];
        Assert.StartsWith("error: The tool loop stopped after 3 model calls", line, StringComparison.Ordinal);
        Assert.Contains("get_weather", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace anywhere, logs included
    }
}
