// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Cost.Tests;

public sealed class BudgetChatClientTests
{
    // gpt-4o with a fixed estimate of 1000 input tokens and MaxOutputTokens 500: worst case 1000 x $2.50 + 500 x $10 = $0.0075.
    private const decimal WorstCase = 0.0075m;

    private static readonly ITokenEstimator s_fixedEstimator = new FixedEstimator(1000);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponseAsync_100ConcurrentCallsBudgetFits10_NeverOverspends(bool distributed)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        IBudgetStore store = distributed
            ? new DistributedCacheBudgetStore(new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions())), time)
            : new InMemoryBudgetStore(time);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        using var inner = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                Interlocked.Increment(ref started);
                await gate.Task.WaitAsync(ct);
                return Response(1000, 500); // real cost = the worst case
            },
        };
        using var sut = NewClient(inner, store, Daily(10 * WorstCase));

        var calls = Enumerable.Range(0, 100).Select(_ => Task.Run(() => sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken))).ToList();
        while (calls.Count(c => c.IsFaulted) + Volatile.Read(ref started) < 100)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        gate.SetResult();
        var results = await Task.WhenAll(calls.Select(async c =>
        {
            try
            {
                await c;
                return true;
            }
            catch (BudgetExceededException)
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(r => r));
        Assert.Equal(10, started);
        var usage = await store.GetUsageAsync(Daily(10 * WorstCase), "default", TestContext.Current.CancellationToken);
        Assert.Equal(10 * WorstCase, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
    }

    [Fact]
    public async Task GetResponseAsync_InnerFails_ReleasesReservation()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(WorstCase);
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new InvalidOperationException("provider down") };
        using var sut = NewClient(inner, store, limit);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));

        var usage = await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken);
        Assert.Equal(0m, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
    }

    [Fact]
    public async Task GetResponseAsync_Success_SettlesWithRealCost()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(1m);
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response(200, 100)) };
        using var sut = NewClient(inner, store, limit);

        await sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);

        var usage = await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken);
        Assert.Equal(0.0015m, usage.Spent); // 200 x $2.50 + 100 x $10
        Assert.Equal(0m, usage.Reserved);
    }

    [Fact]
    public async Task GetResponseAsync_DoesNotFit_ThrowsNamingLimitSpentAndPeriod()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryBudgetStore(time);
        var calls = 0;
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => { calls++; return Task.FromResult(Response(1000, 500)); } };
        using var sut = NewClient(inner, store, Daily(0.01m));

        await sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));

        Assert.Equal(1, calls);
        Assert.Equal("AI:Pipeline:Budget:Daily", ex.LimitName);
        Assert.Equal(0.01m, ex.Limit);
        Assert.Equal(WorstCase, ex.Spent);
        Assert.Equal(0m, ex.Reserved);
        Assert.Equal(WorstCase, ex.Requested);
        Assert.Equal(BudgetPeriod.Daily, ex.Period);
        Assert.Equal(BudgetScope.Client, ex.Scope);
        Assert.Equal(new DateTimeOffset(2026, 7, 25, 0, 0, 0, TimeSpan.Zero), ex.ResetsAt);
        Assert.Equal(
            "Budget exceeded: the daily limit 'AI:Pipeline:Budget:Daily' of $0.01 for client 'default' has $0.0075 spent and $0.00 reserved; this call needs up to $0.0075. The period resets at 2026-07-25T00:00:00Z.",
            ex.Message);

        // The next day starts an empty bucket.
        time.Advance(TimeSpan.FromHours(12));
        await sut.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task GetResponseAsync_MonthlyAndRolling_ResetAsDocumented()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 31, 23, 0, 0, TimeSpan.Zero));
        var store = new InMemoryBudgetStore(time);
        var monthly = new BudgetLimit { Name = "Monthly", Amount = WorstCase, Period = BudgetPeriod.Monthly };
        var rolling = new BudgetLimit { Name = "Rolling", Amount = WorstCase, Period = BudgetPeriod.Rolling, Window = TimeSpan.FromHours(6) };
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response(1000, 500)) };
        using var monthlyClient = NewClient(inner, store, monthly);
        using var rollingClient = NewClient(inner, store, rolling);

        await monthlyClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
        await rollingClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => monthlyClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero), ex.ResetsAt);
        await Assert.ThrowsAsync<BudgetExceededException>(() => rollingClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));

        time.Advance(TimeSpan.FromHours(2)); // August: the monthly bucket is new; the 6-hour window still holds the call.
        await monthlyClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
        var rolled = await Assert.ThrowsAsync<BudgetExceededException>(() => rollingClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));
        Assert.Null(rolled.ResetsAt);

        time.Advance(TimeSpan.FromHours(4)); // six hours after the call: it left the window.
        await rollingClient.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task GetResponseAsync_TenantLimit_CountsEachTenantApart()
    {
        var store = new InMemoryBudgetStore();
        var limit = new BudgetLimit { Name = "AI:Pipeline:Budget:Tenant:Daily", Amount = WorstCase, Period = BudgetPeriod.Daily, Scope = BudgetScope.Tenant };
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response(1000, 500)) };
        using var sut = NewClient(inner, store, limit);

        await sut.GetResponseAsync("hi", GptOptions().WithTenant("acme"), TestContext.Current.CancellationToken);
        await sut.GetResponseAsync("hi", GptOptions().WithTenant("globex"), TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => sut.GetResponseAsync("hi", GptOptions().WithTenant("acme"), TestContext.Current.CancellationToken));
        Assert.Equal("acme", ex.ScopeKey);
        Assert.Contains("tenant 'acme'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsMidStream_ReleasesReservation()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(WorstCase);
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Failing() };
        using var sut = NewClient(inner, store, limit);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var update in sut.GetStreamingResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken))
            {
                Assert.NotNull(update);
            }
        });

        var usage = await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken);
        Assert.Equal(0m, usage.Spent);
        Assert.Equal(0m, usage.Reserved);

        static async IAsyncEnumerable<ChatResponseUpdate> Failing()
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "partial") { ModelId = "gpt-4o" };
            throw new InvalidOperationException("connection reset");
        }
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WithCostAccountingInside_SettlesAttachedCost()
    {
        var store = new InMemoryBudgetStore();
        var limit = Daily(1m);
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => FixtureUsage.OpenAIStream("openai/stream-text-usage.sse") };
        using var sut = new ChatClientBuilder(inner)
            .UseBudget(o => { o.Limits.Add(limit); o.Store = store; o.TokenEstimator = s_fixedEstimator; })
            .UseCostAccounting()
            .Build();

        await foreach (var update in sut.GetStreamingResponseAsync("hi", new ChatOptions { ModelId = "gpt-4o-mini", MaxOutputTokens = 100 }, TestContext.Current.CancellationToken))
        {
            Assert.NotNull(update);
        }

        var usage = await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken);
        Assert.Equal(0.000006225m, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
    }

    [Fact]
    public async Task GetResponseAsync_DistributedStoreFailure_ReleasesAndShares()
    {
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        var storeA = new DistributedCacheBudgetStore(cache);
        var storeB = new DistributedCacheBudgetStore(cache);
        var limit = Daily(WorstCase);
        using var ok = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response(1000, 500)) };
        using var failing = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new TimeoutException() };
        using var a = NewClient(failing, storeA, limit);
        using var b = NewClient(ok, storeB, limit);

        await Assert.ThrowsAsync<TimeoutException>(() => a.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken));
        await b.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken); // the failed reservation was released
        await Assert.ThrowsAsync<BudgetExceededException>(() => a.GetResponseAsync("hi", GptOptions(), TestContext.Current.CancellationToken)); // B's spending is seen by A
        Assert.Equal(WorstCase, (await storeA.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken)).Spent);
    }

    [Fact]
    public async Task GetResponseAsync_UnpricedModel_IsRejected_UnlessTheCatalogEstimatesIt()
    {
        var calls = 0;
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => { calls++; return Task.FromResult(Response(1_000_000, 1_000_000, "llama3")); } };
        using var unset = NewClient(inner, new InMemoryBudgetStore(), Daily(1m));
        var silent = await Assert.ThrowsAsync<BudgetExceededException>(() => unset.GetResponseAsync("hi", new ChatOptions { ModelId = "llama3" }, TestContext.Current.CancellationToken));
        Assert.Contains("AI:Pricing:Models:llama3", silent.Message, StringComparison.Ordinal);
        Assert.Equal(0, calls);

        var store = new InMemoryBudgetStore();
        var estimating = PriceCatalog.Default.WithUnpricedModels(UnpricedModelPolicy.Estimate, new ModelPrice { ModelId = "(estimate)", InputPerMillion = 1m, OutputPerMillion = 2m });
        using var estimated = new BudgetChatClient(inner, new BudgetChatClientOptions { Catalog = estimating, Store = store, TokenEstimator = s_fixedEstimator, Limits = { Daily(10m) } });
        await estimated.GetResponseAsync("hi", new ChatOptions { ModelId = "llama3", MaxOutputTokens = 10 }, TestContext.Current.CancellationToken);
        Assert.Equal(3m, (await store.GetUsageAsync(Daily(10m), "default", TestContext.Current.CancellationToken)).Spent);

        using var strict = new BudgetChatClient(inner, new BudgetChatClientOptions { RejectUnpricedModels = true, TokenEstimator = s_fixedEstimator, Limits = { Daily(1m) } });
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => strict.GetResponseAsync("hi", new ChatOptions { ModelId = "llama3" }, TestContext.Current.CancellationToken));
        Assert.Contains("llama3", ex.Message, StringComparison.Ordinal);
    }

    private static BudgetLimit Daily(decimal amount) => new() { Name = "AI:Pipeline:Budget:Daily", Amount = amount, Period = BudgetPeriod.Daily };

    private static ChatOptions GptOptions() => new() { ModelId = "gpt-4o", MaxOutputTokens = 500 };

    private static ChatResponse Response(long input, long output, string model = "gpt-4o") =>
        new(new ChatMessage(ChatRole.Assistant, "ok")) { ModelId = model, Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } };

    private static BudgetChatClient NewClient(IChatClient inner, IBudgetStore store, BudgetLimit limit) =>
        new(inner, new BudgetChatClientOptions { Store = store, TokenEstimator = s_fixedEstimator, Limits = { limit } });

    private sealed class FixedEstimator(int tokens) : ITokenEstimator
    {
        public int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options) => tokens;
    }
}
