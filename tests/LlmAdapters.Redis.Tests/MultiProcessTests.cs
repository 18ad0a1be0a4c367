// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;

namespace LlmAdapters.Redis.Tests;

/// <summary>
/// Several OS processes of tests/LlmAdapters.Redis.TestHost share one redis-server and one emulator: the guarantees of
/// docs/scaling.md hold across processes, not only across threads.
/// </summary>
public sealed class MultiProcessTests(RedisServer redis)
{
    private static string Prefix() => "test-" + Guid.NewGuid().ToString("N")[..8] + ":";

    private string[] Args(string scenario, EmulatorServer emulator, string prefix, params string[] more) =>
        [scenario, "--redis", redis.Configuration, "--endpoint", emulator.OpenAIEndpoint.ToString(), "--prefix", prefix, .. more];

    [Fact]
    public async Task Budget_FourProcessesOfFiftyConcurrentCalls_ServeOnlyTheTwentyThatFit_AndSpendIsExact()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var prefix = Prefix();

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestHost.RunAsync(Args("budget", emulator, prefix, "--calls", "50", "--limit", "20"))));

        var served = reports.Sum(r => r["served"]);
        var refused = reports.Sum(r => r["budget_exceeded"]);
        Assert.Equal(200, served + refused);
        Assert.Equal(20, served); // each call reserves exactly what it costs ($1), so exactly 20 fit
        Assert.Equal(0, reports.Sum(r => r.Fallbacks));
        Assert.Equal(20, emulator.RequestCount);
        var limit = new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = 20, Period = BudgetPeriod.Daily };
        var usage = await new RedisBudgetStore(redis.Connection, new RedisStateOptions { KeyPrefix = prefix }).GetUsageAsync(limit, "budgeted", TestContext.Current.CancellationToken);
        Assert.Equal(20m, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
        var total = await new RedisCostLedger(redis.Connection, new RedisStateOptions { KeyPrefix = prefix }).GetTotalAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(20m, total.Total);
        Assert.Equal(20, total.Calls);
        Assert.Equal(20, total.OutputTokens);
    }

    [Fact]
    public async Task RequestsPerWindow_SharedByThreeProcesses_NeverExceedTheLimitInAnyWindow()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var prefix = Prefix();
        const int Limit = 10;
        const int Window = 2000;

        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            TestHost.RunAsync(Args("rpm", emulator, prefix, "--calls", "10", "--rpm", "10", "--window", "2000"))));

        Assert.Equal(30, reports.Sum(r => r["served"]));
        Assert.Equal(0, reports.Sum(r => r.Fallbacks)); // no process fell back to its own in-process limiter
        Assert.Equal(33, emulator.RequestCount); // with one warm-up call per process
        var sent = reports.SelectMany(r => r.Sent).Order().ToArray();
        Assert.Equal(30, sent.Length);

        // Times are taken in each process after the grant, so they can trail it by a little (more on a cold first call):
        // a tolerance of 300 ms.
        const int Tolerance = 300;
        for (var i = 0; i < sent.Length; i++)
        {
            var inWindow = sent.Count(t => t >= sent[i] && t < sent[i] + Window - Tolerance);
            Assert.True(inWindow <= Limit, $"{inWindow} requests started within {Window - Tolerance} ms of {sent[i]}");
        }

        // 30 requests at 10 per window: the last ten cannot start before two windows have passed since the first ten.
        Assert.True(sent[^1] - sent[0] >= (2 * Window) - Tolerance, $"all 30 requests started within {sent[^1] - sent[0]} ms");
    }

    [Fact]
    public async Task Cache_AnswerCachedByOneProcess_IsServedToAnotherWithoutCallingTheProvider()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var prefix = Prefix();

        var first = await TestHost.RunAsync(Args("cache", emulator, prefix, "--prompt", "What is cached?"));
        var second = await TestHost.RunAsync(Args("cache", emulator, prefix, "--prompt", "What is cached?"));

        Assert.Equal(1, first["served"]);
        Assert.Equal(1, second["served"]);
        Assert.Equal(1, emulator.RequestCount);
        var text = first.Output.Split('\n').Single(l => l.StartsWith("text: ", StringComparison.Ordinal));
        Assert.Contains(text, second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyCooldown_KeyCooledDownByOneProcess_IsSkippedByAnother()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var prefix = Prefix();
        emulator.EnqueueFault(EmulatorFault.Status(429, TimeSpan.FromSeconds(60)));

        var first = await TestHost.RunAsync(Args("cooldown", emulator, prefix, "--calls", "1"));
        var afterFirst = emulator.Requests.Count;
        var second = await TestHost.RunAsync(Args("cooldown", emulator, prefix, "--calls", "4"));

        Assert.Equal(1, first["served"]);
        Assert.Equal(4, second["served"]);
        var keys = emulator.Requests.Select(r => r.Headers["Authorization"]).ToArray();
        Assert.Equal(["Bearer key-a", "Bearer key-b"], keys[..afterFirst]);
        Assert.All(keys[afterFirst..], k => Assert.Equal("Bearer key-b", k)); // round robin would start on key-a
        Assert.Equal(4, keys.Length - afterFirst);
    }

    [Fact]
    public async Task RedisKilledMidRun_EachConcernFollowsItsPolicy_NothingHangs_NoCallLost()
    {
        await using var own = await RedisServer.StartAsync();
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var process = TestHost.Start("chaos", "--redis", own.Configuration, "--endpoint", emulator.OpenAIEndpoint.ToString(), "--prefix", Prefix());
        async Task UntilRoundAsync(int round)
        {
            while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && line != "round " + round)
            {
            }
        }

        await UntilRoundAsync(3);
        own.Kill();
        await UntilRoundAsync(8);
        await process.StandardInput.WriteLineAsync("stop");
        process.StandardInput.Close();
        var report = await TestHost.WaitAsync(process);

        var attempted = report["attempted"];
        Assert.True(report.Fallbacks > 0, report.Output); // the outage was seen and counted
        Assert.True(attempted >= 24, report.Output);
        Assert.Equal(attempted, report.Outcomes.Where(o => o.Key != "attempted").Sum(o => o.Value)); // every call ended, served or failed
        Assert.Equal(0, report.Outcomes.Where(o => o.Key.EndsWith(":hung", StringComparison.Ordinal)).Sum(o => o.Value));

        // Budgets fail closed: served while Redis ran, then refused with an error of kind Unavailable that names Redis.
        Assert.True(report["budget:served"] > 0, report.Output);
        Assert.True(report["budget:Unavailable_redis"] > 0, report.Output);
        Assert.Equal(attempted / 3, report["budget:served"] + report["budget:Unavailable_redis"]);

        // Rate limits fall back to the in-process limiter, and the cache fails open: every call is served.
        Assert.Equal(attempted / 3, report["ratelimit:served"]);
        Assert.Equal(attempted / 3, report["cache:served"]);
    }
}
