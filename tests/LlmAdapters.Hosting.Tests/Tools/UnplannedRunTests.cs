// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Benchmarks;
using LlmAdapters.Emulator;
using LlmAdapters.Hosting.Tests.Allocations;
using LlmAdapters.Redis;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.Redis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static LlmAdapters.Hosting.Tests.Tools.ToolLoopTests;

namespace LlmAdapters.Hosting.Tests.Tools;

/// <summary>
/// A non-streamed call that offers no tools, has no run budget and lowers no loop limit starts no run (a plain call
/// allocates nothing for one), yet its model may call a tool it was never offered; the loop answers "no tool named …" and
/// calls again (issue 21, the gap the last round left open). The run starts with that first answer: the loop's model
/// calls are its calls, a <see cref="ToolLoopException"/> ending it carries their totals, the ledger records them and the
/// period budget settles their cost; a run that recovers carries its totals on the final response and is counted once.
/// On the emulator over HTTP, with the ledger and budget in memory and on a real redis-server.
/// </summary>
public sealed class UnplannedRunTests
{
    private const string Daily = "AI:Pipeline:Budget:Daily";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static decimal Price(int input, int output) =>
        PriceCatalog.Default.GetPrice("gpt-4o-mini")!.Calculate(new UsageDetails { InputTokenCount = input, OutputTokenCount = output }).Total;

    private static async Task<(ServiceProvider Services, RedisServer? Server)> StartAsync(EmulatorServer emulator, bool redis, Dictionary<string, string?>? extra = null)
    {
        var server = redis ? await RedisServer.StartAsync() : null;
        var values = new Dictionary<string, string?> { [Daily] = "1" };
        if (server is not null)
        {
            values["AI:Redis:Configuration"] = server.Configuration;
        }

        foreach (var (key, value) in extra ?? [])
        {
            values[key] = value;
        }

        return (Build(emulator, values), server);
    }

    private static async Task<(CostSummary Ledger, BudgetUsage Budget)> SpentAsync(ServiceProvider services, bool redis)
    {
        var ledger = services.GetRequiredService<ICostLedger>();
        var recorded = redis ? await Assert.IsType<RedisCostLedger>(ledger).GetTotalAsync(cancellationToken: Ct) : ledger.GetTotal();
        var store = redis ? services.GetRequiredService<IBudgetStore>() : services.GetRequiredService<IChatClient>().GetService<BudgetChatClient>()!.Store;
        var usage = await store.GetUsageAsync(new BudgetLimit { Name = Daily, Amount = 1m, Period = BudgetPeriod.Daily }, "default", Ct);
        return (recorded, usage);
    }

    public static TheoryData<int?, bool> Failures() => new()
    {
        { null, false },
        { null, true },
        { 0, false },
        { 4, false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task NoToolsOffered_ModelKeepsCallingOne_ToolLoopExceptionCarriesEveryCall_LedgerAndDailyBudgetRecordThem(int? maximumErrors, bool redis)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var extra = maximumErrors is { } max ? new Dictionary<string, string?> { ["AI:Pipeline:FunctionInvocation:MaximumConsecutiveErrors"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null;
        var (services, server) = await StartAsync(emulator, redis, extra);
        await using var _ = server;
        await using var __ = services;
        emulator.Replies.Enqueue(Calls("delete_everything", "{}", times: 50, input: 100, output: 10));

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("hi", null, Ct));

        // M.E.AI's consecutive-error counter and the run's end the loop after the same calls as before: the default (2) after 3.
        var calls = (maximumErrors ?? 2) + 1;
        Assert.Equal(ToolLoopErrorKind.UnknownTool, ex.Kind);
        Assert.Equal("delete_everything", ex.ToolName);
        Assert.Equal(calls, emulator.RequestCount);
        Assert.Equal(calls, ex.Iterations);

        var totals = ex.GetRunTotals();
        Assert.NotNull(totals);
        Assert.Equal(calls, totals.ModelCalls);
        Assert.Equal(100 * calls, totals.Usage?.InputTokenCount);
        Assert.Equal(10 * calls, totals.Usage?.OutputTokenCount);
        Assert.Equal(calls * Price(100, 10), totals.Cost?.Total);
        Assert.Equal("gpt-4o-mini", totals.ModelId);

        var (ledger, budget) = await SpentAsync(services, redis);
        Assert.Equal(calls * Price(100, 10), ledger.Total);
        Assert.Equal(100 * calls, ledger.InputTokens);
        Assert.Equal(10 * calls, ledger.OutputTokens);
        Assert.Equal(ledger.Total, budget.Spent);
        Assert.Equal(0m, budget.Reserved);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoToolsOffered_ModelCallsOneOnceThenAnswers_FinalResponseCarriesBothCalls_CountedOnce(bool redis)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, server) = await StartAsync(emulator, redis);
        await using var _ = server;
        await using var __ = services;
        emulator.Replies.Enqueue(Calls("delete_everything", "{}", input: 100, output: 10));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "I have no such tool; here is my answer.", InputTokens = 150, OutputTokens = 5 });

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi", null, Ct);

        Assert.Equal(2, emulator.RequestCount);
        Assert.Contains("here is my answer", response.Text, StringComparison.Ordinal);
        Assert.Contains("there is no tool named", emulator.Requests[1].Body, StringComparison.Ordinal);
        var totals = response.GetRunTotals();
        Assert.NotNull(totals);
        Assert.Equal(2, totals.ModelCalls);
        Assert.Equal(250, totals.Usage?.InputTokenCount);
        Assert.Equal(15, totals.Usage?.OutputTokenCount);
        Assert.Equal(Price(100, 10) + Price(150, 5), totals.Cost?.Total);
        Assert.Equal(250, response.Usage?.InputTokenCount);

        // Once each: the ledger and the budget price the response's summed usage, not the totals as well.
        var (ledger, budget) = await SpentAsync(services, redis);
        Assert.Equal(Price(100, 10) + Price(150, 5), ledger.Total);
        Assert.Equal(250, ledger.InputTokens);
        Assert.Equal(15, ledger.OutputTokens);
        Assert.Equal(ledger.Total, budget.Spent);
        Assert.Equal(0m, budget.Reserved);
    }

    [Fact]
    public async Task FinishedRunsMessagesSentBackAsHistory_ThePlainCallStartsNoRunAndLeavesTheOldOneAlone()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, server) = await StartAsync(emulator, redis: false);
        await using var _ = server;
        await using var __ = services;
        var client = services.GetRequiredService<IChatClient>();
        emulator.Replies.Enqueue(Calls("delete_everything", "{}", input: 100, output: 10));
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Done.", InputTokens = 150, OutputTokens = 5 });
        List<ChatMessage> history = [new(ChatRole.User, "hi")];
        var first = await client.GetResponseAsync(history, null, Ct);
        var firstTotals = first.GetRunTotals();

        // The history ends with the finished run's tool results, the last message the loop's calls of that run ended with.
        history.AddRange(first.Messages.Where(m => m.Role == ChatRole.Tool || m.Contents.OfType<FunctionCallContent>().Any()));
        Assert.Equal(ChatRole.Tool, history[^1].Role);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Again.", InputTokens = 200, OutputTokens = 3 });
        var second = await client.GetResponseAsync(history, null, Ct);

        Assert.Equal(3, emulator.RequestCount);
        Assert.Null(second.GetRunTotals());
        Assert.Equal(2, firstTotals?.ModelCalls);
        Assert.Equal(2, first.GetRunTotals()?.ModelCalls);
    }

    [Fact]
    public async Task PlainCall_NoToolCallInTheAnswer_HasNoRunTotals()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, server) = await StartAsync(emulator, redis: false);
        await using var _ = server;
        await using var __ = services;
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hello.", InputTokens = 10, OutputTokens = 2 });

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync("hi", null, Ct);

        Assert.Equal(1, emulator.RequestCount);
        Assert.Null(response.GetRunTotals());
        var (ledger, budget) = await SpentAsync(services, redis: false);
        Assert.Equal(Price(10, 2), ledger.Total);
        Assert.Equal(ledger.Total, budget.Spent);
    }

    [Fact]
    public async Task WithoutCostsRunAccounting_NoToolsOffered_TheLoopStillEndsAfterThreeCalls_WithoutTotals()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, afterwards: s => s.Remove(Assert.Single(s, d => d.ServiceType == typeof(IToolRunAccountingFactory))));
        emulator.Replies.Enqueue(Calls("delete_everything", "{}", times: 50));

        var ex = await Assert.ThrowsAsync<ToolLoopException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("hi", null, Ct));

        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(3, ex.Iterations);
        Assert.Null(ex.GetRunTotals());
    }

    [Fact]
    public async Task NoToolsOffered_ProviderFailsOnTheLoopsSecondCall_TheErrorCarriesTheFirstCall_LedgerAndDailyBudgetRecordIt()
    {
        // In process: the provider answers the first call with a tool call and rejects the second.
        var calls = 0;
        var provider = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Interlocked.Increment(ref calls) == 1
                ? Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "delete_everything")]))
                {
                    ModelId = "gpt-4o-mini",
                    Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10, TotalTokenCount = 110 },
                })
                : throw new ChatProviderException(ChatProviderErrorKind.InvalidRequest, "failing", "rejected"),
        };
        var services = new ServiceCollection();
        services.AddChatProvider("failing", _ => provider, defaultEndpoint: new Uri("http://failing.invalid/"));
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "failing",
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:ApiKey"] = "sk-test-failing-000000000000000000",
            ["AI:Pipeline:Retry:Enabled"] = "false",
            [Daily] = "1",
        }).Build().GetSection("AI"));
        await using var built = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => built.GetRequiredService<IChatClient>().GetResponseAsync("hi", null, Ct));

        Assert.Equal(2, calls);
        var totals = ex.GetRunTotals();
        Assert.NotNull(totals);
        Assert.Equal(2, totals.ModelCalls); // started, as a planned run counts them; the second consumed nothing
        Assert.Equal(100, totals.Usage?.InputTokenCount);
        Assert.Equal(Price(100, 10), totals.Cost?.Total);
        var (ledger, budget) = await SpentAsync(built, redis: false);
        Assert.Equal(Price(100, 10), ledger.Total);
        Assert.Equal(ledger.Total, budget.Spent);
        Assert.Equal(0m, budget.Reserved);
    }

    [Fact]
    public void PlainCall_AnsweredSynchronously_TheToolLoopAllocatesNothingMoreThanMEAIsOwn_ToLookForAnUnplannedRun()
    {
        // The step client looks at every plain answer for function calls, and at every plain call's last message for a
        // run to continue: neither may cost a plain call a byte (the full-pipeline guard has a margin of about 2 %).
        var provider = new FixedChatClient(updateCount: 10);
        var settings = new ToolLoopSettings(8, 2, Accounting: null, TimeProvider.System);
        List<ChatMessage> messages = [new(ChatRole.User, "Hello")];

        var step = AllocationMeter.BytesPerCall(new ToolRunStepChatClient(provider, settings), messages, 2_000) - AllocationMeter.BytesPerCall(provider, messages, 2_000);
        var loop = AllocationMeter.BytesPerCall(new ToolLoopChatClient(provider, settings, null, null), messages, 2_000)
            - AllocationMeter.BytesPerCall(new FunctionInvokingChatClient(provider), messages, 2_000);

        Assert.Equal(0, step);
        Assert.Equal(0, loop);
    }
}
