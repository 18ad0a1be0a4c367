// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Redis;

namespace LlmAdapters.Samples.Tests;

/// <summary>
/// The CLI with <c>AI:Redis</c> set, against a real redis-server: two CLI processes share one cost ledger, and each
/// shows the total of both (issue #12: "The CLI and ChatHost show the shared total when Redis is configured").
/// </summary>
public sealed class ChatCliSharedLedgerTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task TwoProcesses_ShowTheLedgerTheyShareOnRedis()
    {
        var environment = new Dictionary<string, string>
        {
            ["AI__Redis__Configuration"] = redis.Configuration,
            ["AI__Redis__KeyPrefix"] = $"cli-{Guid.NewGuid():N}:",
        };

        // The first process makes one call and exits.
        await using (var first = CliProcess.Start(environment))
        {
            await first.WriteLineAsync("first");
            await first.WriteLineAsync("/exit");
            var (exit, output, error) = await first.FinishAsync();
            Assert.True(exit == 0, $"exit {exit}: {error}");
            Assert.Matches(@"all processes \$0\.\d+ over 1 call\(s\)", output);
        }

        // The second process counts the first one's call beside its own: the figures and /cost show both.
        await using var second = CliProcess.Start(environment);
        await second.WriteLineAsync("second");
        await second.WriteLineAsync("/cost");
        await second.WriteLineAsync("/exit");
        var (secondExit, secondOutput, secondError) = await second.FinishAsync();

        Assert.True(secondExit == 0, $"exit {secondExit}: {secondError}");
        Assert.Matches(@"session \$0\.\d+ · all processes \$0\.\d+ over 2 call\(s\)", secondOutput);
        Assert.Contains("Shared ledger (Redis): the calls of every process that uses it.", secondOutput, StringComparison.Ordinal);
        Assert.Matches(@"gpt-4o-mini: \$0\.\d+ over 2 call\(s\)", secondOutput);
        Assert.Matches(@"total: \$0\.\d+ over 2 call\(s\)", secondOutput);
    }

    [Fact]
    public async Task WithoutRedis_TheFiguresShowOnlyThisProcess()
    {
        await using var cli = CliProcess.Start(null);
        await cli.WriteLineAsync("hello");
        await cli.WriteLineAsync("/cost");
        await cli.WriteLineAsync("/exit");
        var (exit, output, _) = await cli.FinishAsync();

        Assert.Equal(0, exit);
        Assert.DoesNotContain("all processes", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Shared ledger", output, StringComparison.Ordinal);
    }
}
