// Licensed under the MIT License.

namespace LlmAdapters.Samples.Tests;

/// <summary>
/// The interactive experience of the chat CLI, run as a process: help, flags, reasoning, the ledger, colours and logs
/// when output is redirected, and Ctrl+C (a real SIGINT) during a reply.
/// </summary>
public sealed class ChatCliExperienceTests
{
    [Fact]
    public async Task Help_ShowsOptionsExamplesAndProviders()
    {
        await using var cli = CliProcess.Start(null, "--help");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.Contains("--provider <name>", output, StringComparison.Ordinal);
        Assert.Contains("--reasoning", output, StringComparison.Ordinal);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains("llm-chat --client welcome \"Hi\"", output, StringComparison.Ordinal);
        Assert.Matches(@"Providers \(AI:Provider\): anthropic, .*openai", output);
    }

    [Fact]
    public async Task ProviderAndModelFlags_OverrideTheConfiguration()
    {
        await using (var cli = CliProcess.Start(null, "--model", "claude-sonnet-4-5", "Hello"))
        {
            var (exit, output, _) = await cli.FinishAsync();
            Assert.Equal(0, exit);
            Assert.Contains("[model claude-sonnet-4-5 ·", output, StringComparison.Ordinal);
        }

        await using (var cli = CliProcess.Start(null, "--provider", "anthropic", "Hello"))
        {
            var (exit, _, error) = await cli.FinishAsync();
            Assert.Equal(1, exit);
            Assert.Contains("the 'anthropic' provider needs an API key", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reasoning_ShowsTheReasoningOnItsOwnLineBeforeTheAnswer()
    {
        await using var cli = CliProcess.Start(null, "--reasoning", "Why?");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.StartsWith("The user asked: \"Why?\".", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("You said \"Why?\".", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutReasoningFlag_NoReasoningIsShown()
    {
        await using var cli = CliProcess.Start(null, "Why?");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.DoesNotContain("The user asked", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostCommand_PrintsTheLedgerPerModelAndTheTotal()
    {
        await using var cli = CliProcess.Start(null);
        await cli.WriteLineAsync("/cost");
        await cli.WriteLineAsync("first");
        await cli.WriteLineAsync("second");
        await cli.WriteLineAsync("/cost");
        await cli.WriteLineAsync("/exit");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.Contains("No calls yet.", output, StringComparison.Ordinal);
        Assert.Matches(@"gpt-4o-mini: \$0\.\d+ over 2 call\(s\), \d+ in / \d+ out tokens", output);
        Assert.Matches(@"total: \$0\.\d+ over 2 call\(s\)", output);
    }

    [Fact]
    public async Task RedirectedOutput_HasNoColoursAndNoLogLines_EvenAtDebug()
    {
        await using var cli = CliProcess.Start(new() { ["Logging__LogLevel__Default"] = "Debug" }, "Hello");
        var (exit, output, error) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", error, StringComparison.Ordinal);
        Assert.DoesNotContain("dbug:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", output, StringComparison.Ordinal);
        Assert.Contains("dbug:", error, StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Check_PrintsATableOfTheClientsWithTheirHealth()
    {
        await using var cli = CliProcess.Start(null, "--check");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^CLIENT\s+PROVIDER\s+MODEL\s+STATUS\s+DETAIL$", lines[0]);
        Assert.Matches(@"^default\s+emulator\s+gpt-4o-mini\s+Healthy\s+emulator is reachable and accepts the key\.$", lines[1]);
        Assert.Matches(@"^welcome\s+emulator\s+gpt-4o-mini\s+Healthy", lines[2]);
    }

    [Fact]
    public async Task Check_UnreachableProvider_IsUnhealthyAndExitsWithOne()
    {
        // Port 9 (discard): nothing listens on the loopback there.
        await using var cli = CliProcess.Start(new() { ["AI__Provider"] = "openai", ["AI__ApiKey"] = "sk-test", ["AI__Endpoint"] = "http://127.0.0.1:9/v1" }, "--check");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(1, exit);
        Assert.Matches(@"default\s+openai\s+gpt-4o-mini\s+Unhealthy\s+openai cannot be reached at http://127\.0\.0\.1:9/v1/models", output);
    }

    [Fact]
    public async Task CtrlC_DuringAReply_StopsItAndReturnsToThePrompt()
    {
        // Slow chunks: the reply is still streaming when the signal arrives.
        await using var cli = CliProcess.Start(new() { ["Emulator__ChunkDelay"] = "00:00:00.300" });
        await cli.WriteLineAsync("tell me a long story");
        await cli.WaitForOutputAsync("You said");
        cli.Interrupt();
        await cli.WaitForErrorAsync("Stopped: the reply was cancelled");

        // Still alive, at the prompt. The cancelled reply is in the ledger with what it consumed, estimated, never $0
        // (issue 21: cancelled work is billed by the provider, so it is recorded).
        await cli.WriteLineAsync("/cost");
        await cli.WriteLineAsync("/exit");
        var (exit, output, error) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.DoesNotContain("No calls yet.", output, StringComparison.Ordinal);
        Assert.Contains("total: ", output, StringComparison.Ordinal);
        Assert.Contains(" over 1 call(s), ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("total: $0.00 ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CtrlC_Twice_EndsTheProcess()
    {
        await using var cli = CliProcess.Start(new() { ["Emulator__ChunkDelay"] = "00:00:00.300" });
        await cli.WriteLineAsync("tell me a long story");
        await cli.WaitForOutputAsync("You said");
        cli.Interrupt();
        await cli.WaitForErrorAsync("Stopped: the reply was cancelled");
        cli.Interrupt();

        // Standard input stays open: only the second Ctrl+C can end the process.
        var exit = await cli.WaitForExitAsync();
        Assert.NotEqual(0, exit);
    }
}
