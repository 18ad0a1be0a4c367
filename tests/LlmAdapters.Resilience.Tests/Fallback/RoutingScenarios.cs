// Licensed under the MIT License.

using System.Net;
using System.Runtime.CompilerServices;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Resilience.Tests.Fallback;

/// <summary>
/// Every routing strategy and typed fallback, streaming and not, over a store of shared routing state: run in memory
/// (no store) by LlmAdapters.Resilience.Tests and over a real redis-server by LlmAdapters.Redis.Tests (this file is
/// linked there). Time is fake: a target "takes" time by moving the clock, so latencies are exact and nothing sleeps.
/// </summary>
public abstract class RoutingScenarios
{
    private readonly string _scope = "route-" + Guid.NewGuid().ToString("N")[..8];

    protected FakeTimeProvider Time { get; } = new();

    /// <summary>Gets the store the clients share, or <see langword="null"/> to keep routing state in memory.</summary>
    protected abstract IChatRoutingStore? Store { get; }

    public static TheoryData<bool> Streaming => new() { false, true };

    public static TheoryData<ChatRoutingStrategy, bool> StrategiesWithAndWithoutTypedFallback
    {
        get
        {
            var data = new TheoryData<ChatRoutingStrategy, bool>();
            foreach (var strategy in Enum.GetValues<ChatRoutingStrategy>())
            {
                data.Add(strategy, false);
                data.Add(strategy, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Ordered_PrimaryServes_AndIsNamedOnTheResponse(bool streaming)
    {
        var a = new Target("a", "model-a", Time);
        var b = new Target("b", "model-b", Time);
        using var client = Create(a, [b], o => o.Strategy = ChatRoutingStrategy.Ordered);

        var (text, servedBy) = await RunAsync(client, streaming);

        Assert.Equal("a", text);
        Assert.Equal("a", servedBy);
        Assert.Equal(0, b.Calls);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Weighted_ZeroWeightTargetIsOnlyAFallback(bool streaming)
    {
        var a = new Target("a", "model-a", Time);
        var b = new Target("b", "model-b", Time);
        var c = new Target("c", "model-c", Time);
        using var client = Create(a, [b, c], o =>
        {
            o.Strategy = ChatRoutingStrategy.Weighted;
            o.Weights["a"] = 0;
            o.Weights["b"] = 1;
            o.Weights["c"] = 0;
        });

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);
        }

        // When the only weighted target fails, the zero-weight ones follow in the configured order.
        b.FailWith = Error(ChatProviderErrorKind.Overloaded);
        Assert.Equal("a", (await RunAsync(client, streaming)).ServedBy);
        Assert.Equal(1, a.Calls);
        Assert.Equal(0, c.Calls);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Weighted_SpreadsCallsByWeight(bool streaming)
    {
        var a = new Target("a", "model-a", Time);
        var b = new Target("b", "model-b", Time);
        using var client = Create(a, [b], o =>
        {
            o.Strategy = ChatRoutingStrategy.Weighted;
            o.Weights["a"] = 1;
            o.Weights["b"] = 3;
        });

        for (var i = 0; i < 200; i++)
        {
            await RunAsync(client, streaming);
        }

        // 1:3 expected (50:150); the bounds are four standard deviations wide, so a fair draw never fails them.
        Assert.Equal(200, a.Calls + b.Calls);
        Assert.InRange(b.Calls, 126, 174);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task LeastBusy_TargetWithACallInFlightIsPassedOver(bool streaming)
    {
        var a = new Target("a", "model-a", Time) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var b = new Target("b", "model-b", Time);
        using var client = Create(a, [b], o => o.Strategy = ChatRoutingStrategy.LeastBusy);

        var first = RunAsync(client, streaming);
        await a.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var (_, servedBy) = await RunAsync(client, streaming);
        a.Gate.SetResult();
        var (_, firstServedBy) = await first;

        Assert.Equal("b", servedBy);
        Assert.Equal("a", firstServedBy);

        // Both idle again: ties keep the configured order.
        a.Gate = null;
        Assert.Equal("a", (await RunAsync(client, streaming)).ServedBy);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task LowestLatency_EachTargetIsMeasuredThenTheFastestServes(bool streaming)
    {
        var a = new Target("a", "model-a", Time) { Delay = TimeSpan.FromMilliseconds(900) };
        var b = new Target("b", "model-b", Time) { Delay = TimeSpan.FromMilliseconds(100) };
        using var client = Create(a, [b], o => o.Strategy = ChatRoutingStrategy.LowestLatency);

        // Not measured yet: each is tried once, in the configured order.
        Assert.Equal("a", (await RunAsync(client, streaming)).ServedBy);
        await SharedAsync();
        Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);
        await SharedAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);
            await SharedAsync();
        }

        // b slows down: its moving average passes a's after a few calls, and a serves again.
        b.Delay = TimeSpan.FromMilliseconds(3000);
        var served = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            served.Add((await RunAsync(client, streaming)).ServedBy);
            await SharedAsync();
        }

        Assert.Equal("a", served[^1]);
        Assert.Equal(1, a.Calls - served.Count(s => s == "a"));
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task LowestCost_CheapestModelForTheEstimatedTokensServes_UnpricedLast(bool streaming)
    {
        var a = new Target("a", "dear", Time);
        var b = new Target("b", "unpriced", Time);
        var c = new Target("c", "cheap", Time);
        var prices = new Prices { ["dear"] = 10m, ["cheap"] = 1m };
        using var client = Create(a, [b, c], o =>
        {
            o.Strategy = ChatRoutingStrategy.LowestCost;
            o.PriceLookup = prices;
        });

        Assert.Equal("c", (await RunAsync(client, streaming)).ServedBy);
        Assert.True(prices.LastInputTokens > 0);
        Assert.Equal(77, (await RunAsync(client, streaming, options: new ChatOptions { MaxOutputTokens = 77 })).ServedBy is "c" ? prices.LastOutputTokens : -1);

        // The cheapest failing: the next cheapest, then the one without a price.
        c.FailWith = Error(ChatProviderErrorKind.Unavailable);
        Assert.Equal("a", (await RunAsync(client, streaming)).ServedBy);
        a.FailWith = Error(ChatProviderErrorKind.Unavailable);
        Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);

        // The caller's model is the primary's price.
        a.FailWith = null;
        c.FailWith = null;
        prices["cheapest"] = 0.1m;
        Assert.Equal("a", (await RunAsync(client, streaming, options: new ChatOptions { ModelId = "cheapest" })).ServedBy);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Affinity_ConversationStaysOnTheTargetThatServedIt(bool streaming)
    {
        var a = new Target("a", "model-a", Time) { FailWith = Error(ChatProviderErrorKind.Overloaded) };
        var b = new Target("b", "model-b", Time);
        using var client = Create(a, [b], o => o.Affinity = ChatRoutingAffinity.Conversation);

        List<ChatMessage> conversation = [new(ChatRole.System, "be brief"), new(ChatRole.User, "first question " + _scope)];
        Assert.Equal("b", (await RunAsync(client, streaming, conversation)).ServedBy);
        await SharedAsync();

        // a recovers; this conversation stays on b, which holds its state; another conversation starts on a.
        a.FailWith = null;
        conversation.Add(new ChatMessage(ChatRole.Assistant, "b"));
        conversation.Add(new ChatMessage(ChatRole.User, "second question"));
        Assert.Equal("b", (await RunAsync(client, streaming, conversation)).ServedBy);
        Assert.Equal("a", (await RunAsync(client, streaming, [new ChatMessage(ChatRole.User, "another " + _scope)])).ServedBy);

        // By server-side conversation id.
        var id = new ChatOptions { ConversationId = "conv-" + _scope };
        b.FailWith = Error(ChatProviderErrorKind.Overloaded);
        Assert.Equal("a", (await RunAsync(client, streaming, [new ChatMessage(ChatRole.User, "x")], id.Clone())).ServedBy);
        await SharedAsync();
        b.FailWith = null;
        Assert.Equal("a", (await RunAsync(client, streaming, [new ChatMessage(ChatRole.User, "y")], id.Clone())).ServedBy);

        // The held target failing moves the conversation on, and it stays where it went.
        a.FailWith = Error(ChatProviderErrorKind.Unavailable);
        Assert.Equal("b", (await RunAsync(client, streaming, [new ChatMessage(ChatRole.User, "z")], id.Clone())).ServedBy);
        await SharedAsync();
        a.FailWith = null;
        Assert.Equal("b", (await RunAsync(client, streaming, [new ChatMessage(ChatRole.User, "w")], id.Clone())).ServedBy);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task TypedFallback_ContextLengthExceeded_GoesToTheLargerContextClient_NotTheNextInOrder(bool streaming)
    {
        var a = new Target("a", "small", Time) { FailWith = Error(ChatProviderErrorKind.ContextLengthExceeded) };
        var b = new Target("b", "other", Time);
        var big = new Target("big", "large-context", Time);
        using var client = Create(a, [b, big], o => o.FallbackByKind[ChatProviderErrorKind.ContextLengthExceeded] = ["big"]);

        Assert.Equal("big", (await RunAsync(client, streaming)).ServedBy);
        Assert.Equal(0, b.Calls);

        // Not a health problem: a typed kind outside On opens no circuit.
        for (var i = 0; i < 10; i++)
        {
            await RunAsync(client, streaming);
        }

        Assert.False(client.IsCoolingDown("a"));
        Assert.Equal(11, a.Calls);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task TypedFallback_ContentFiltered_GoesToAnotherProvider_AndChainEndsWithTheFailure(bool streaming)
    {
        var filtered = Error(ChatProviderErrorKind.ContentFiltered);
        var a = new Target("a", "model-a", Time) { FailWith = filtered };
        var b = new Target("b", "model-b", Time);
        var other = new Target("other", "other-provider", Time);
        using var client = Create(a, [b, other], o => o.FallbackByKind[ChatProviderErrorKind.ContentFiltered] = ["other"]);

        Assert.Equal("other", (await RunAsync(client, streaming)).ServedBy);

        // The other provider filters too: the chain has no one left that was not tried, and the failure is the caller's.
        var again = Error(ChatProviderErrorKind.ContentFiltered);
        other.FailWith = again;
        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => RunAsync(client, streaming));
        Assert.Same(again, thrown);
        Assert.Equal(0, b.Calls);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task TypedFallback_OtherKinds_MoveOnAlongTheOrder(bool streaming)
    {
        var a = new Target("a", "model-a", Time) { FailWith = Error(ChatProviderErrorKind.RateLimited) };
        var b = new Target("b", "model-b", Time);
        var big = new Target("big", "large-context", Time);
        using var client = Create(a, [b, big], o => o.FallbackByKind[ChatProviderErrorKind.ContextLengthExceeded] = ["big"]);

        Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);

        // And a kind neither in On nor typed stops at once.
        a.FailWith = Error(ChatProviderErrorKind.InvalidRequest);
        await Assert.ThrowsAsync<ChatProviderException>(() => RunAsync(client, streaming));
        Assert.Equal(1, b.Calls);
        Assert.Equal(0, big.Calls);
    }

    [Theory]
    [MemberData(nameof(StrategiesWithAndWithoutTypedFallback))]
    public async Task EveryStrategy_FailureAfterTheFirstStreamedUpdate_IsNotRerouted_AndEarlierFailuresAre(ChatRoutingStrategy strategy, bool typed)
    {
        var a = new Target("a", "dear", Time) { FailAfterFirstUpdate = Error(ChatProviderErrorKind.Unavailable) };
        var b = new Target("b", "cheap", Time);
        using var client = Create(a, [b], o =>
        {
            o.Strategy = strategy;
            o.Weights = strategy == ChatRoutingStrategy.Weighted ? new Dictionary<string, double> { ["a"] = 1, ["b"] = 0 } : o.Weights;
            o.PriceLookup = new Prices { ["dear"] = 1m, ["cheap"] = 2m };
            if (typed)
            {
                o.FallbackByKind[ChatProviderErrorKind.Unavailable] = ["b"];
            }
        });

        var received = new List<ChatResponseUpdate>();
        await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: TestContext.Current.CancellationToken), received));

        Assert.Equal(["a"], received.Select(u => u.Text));
        Assert.Equal(0, b.Calls);

        // Before the first update, the same failure is rerouted.
        a.FailAfterFirstUpdate = null;
        a.FailWith = Error(ChatProviderErrorKind.Unavailable);
        var updates = await CollectAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("b", updates[0].AdditionalProperties?[FallbackChatClient.ServedByKey]);
    }

    /// <summary>Creates a client over the targets with the store, the fake clock and a scope of its own.</summary>
    protected FallbackChatClient Create(Target primary, IEnumerable<Target> others, Action<FallbackChatClientOptions>? configure = null, string? scope = null)
    {
        var options = new FallbackChatClientOptions
        {
            PrimaryName = primary.Name,
            TimeProvider = Time,
            Store = Store,
            StoreScope = scope ?? _scope,
        };
        configure?.Invoke(options);
        return new FallbackChatClient(primary.Client, others.Select(t => new KeyValuePair<string, IChatClient>(t.Name, t.Client)), options);
    }

    /// <summary>Lets the writes to the store that a call started in the background land (they never hold the call up).</summary>
    protected virtual Task SharedAsync() => Task.CompletedTask;

    protected static ChatProviderException Error(ChatProviderErrorKind kind) =>
        new(kind, "fake", "failure of kind " + kind, kind == ChatProviderErrorKind.RateLimited ? (HttpStatusCode)429 : null);

    protected static async Task<(string Text, string? ServedBy)> RunAsync(
        IChatClient client, bool streaming, IEnumerable<ChatMessage>? messages = null, ChatOptions? options = null)
    {
        messages ??= [new ChatMessage(ChatRole.User, "hello")];
        if (!streaming)
        {
            var response = await client.GetResponseAsync(messages.ToList(), options, TestContext.Current.CancellationToken);
            return (response.Text, response.AdditionalProperties?[FallbackChatClient.ServedByKey] as string);
        }

        var updates = await CollectAsync(client.GetStreamingResponseAsync(messages.ToList(), options, TestContext.Current.CancellationToken));
        var streamed = updates.ToChatResponse();
        return (updates[0].Text, streamed.AdditionalProperties?[FallbackChatClient.ServedByKey] as string);
    }

    protected static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates, List<ChatResponseUpdate>? into = null)
    {
        var list = into ?? [];
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    /// <summary>A scripted target: it answers its name, takes <see cref="Delay"/> of fake time before its first token, can fail, and can wait at a gate.</summary>
    protected sealed class Target
    {
        private readonly FakeTimeProvider _time;
        private int _calls;

        public Target(string name, string model, FakeTimeProvider time)
        {
            Name = name;
            _time = time;
            Client = new TestChatClient
            {
                Metadata = new ChatClientMetadata("fake-" + name, null, model),
                GetResponseAsyncCallback = async (_, _, ct) =>
                {
                    await BeginAsync(ct);
                    return new ChatResponse(new ChatMessage(ChatRole.Assistant, Name)) { ModelId = model };
                },
                GetStreamingResponseAsyncCallback = (_, _, ct) => StreamAsync(ct),
            };
        }

        public string Name { get; }

        public TestChatClient Client { get; }

        public int Calls => Volatile.Read(ref _calls);

        public Exception? FailWith { get; set; }

        public Exception? FailAfterFirstUpdate { get; set; }

        public TimeSpan Delay { get; set; }

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task BeginAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(ct);
            }

            if (FailWith is { } error)
            {
                throw error;
            }

            if (Delay > TimeSpan.Zero)
            {
                _time.Advance(Delay);
            }
        }

        private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync([EnumeratorCancellation] CancellationToken ct)
        {
            await BeginAsync(ct);
            yield return new ChatResponseUpdate(ChatRole.Assistant, Name);
            if (FailAfterFirstUpdate is { } late)
            {
                throw late;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, ".");
        }
    }

    /// <summary>A price list: a flat price per token (input and output alike) by model.</summary>
    protected sealed class Prices : Dictionary<string, decimal>, IModelPriceLookup
    {
        public long LastInputTokens { get; private set; }

        public long LastOutputTokens { get; private set; }

        public decimal? EstimateCost(string? modelId, long inputTokens, long outputTokens)
        {
            LastInputTokens = inputTokens;
            LastOutputTokens = outputTokens;
            return modelId is not null && TryGetValue(modelId, out var price) ? price * (inputTokens + outputTokens) : null;
        }
    }
}
