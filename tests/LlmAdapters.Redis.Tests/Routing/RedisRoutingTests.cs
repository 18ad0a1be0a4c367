// Licensed under the MIT License.

using LlmAdapters.Resilience;
using LlmAdapters.Resilience.Tests.Fallback;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Redis.Tests.Routing;

/// <summary>
/// The routing scenarios over a real redis-server, and what only a shared store does: a target cooled down, measured or
/// holding a conversation in one process is seen so by another (two clients on one Redis stand for two processes).
/// </summary>
public sealed class RedisRoutingTests : RoutingScenarios
{
    private readonly RedisServer _redis;
    private readonly RedisStateOptions _options;

    public RedisRoutingTests(RedisServer redis)
    {
        _redis = redis;
        _options = new RedisStateOptions { KeyPrefix = "routing-" + Guid.NewGuid().ToString("N")[..8] + ":", TimeProvider = Time };
        Store = new RedisChatRoutingStore(redis.Connection, _options);
    }

    protected override IChatRoutingStore? Store { get; }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Cooldown_OpenedInOneProcess_IsSkippedByAnother(bool streaming)
    {
        var a1 = new Target("a", "model-a", Time) { FailWith = Error(ChatProviderErrorKind.Overloaded) };
        var b1 = new Target("b", "model-b", Time);
        var a2 = new Target("a", "model-a", Time);
        var b2 = new Target("b", "model-b", Time);
        using var first = Create(a1, [b1], o => o.FailureThreshold = 1, scope: "shared-cooldown");
        using var second = Create(a2, [b2], o => o.FailureThreshold = 1, scope: "shared-cooldown");

        Assert.Equal("b", (await RunAsync(first, streaming)).ServedBy);
        await SharedAsync();

        Assert.Equal("b", (await RunAsync(second, streaming)).ServedBy);
        Assert.Equal(0, a2.Calls);
        Assert.True(second.IsCoolingDown("a"));

        // After the break both processes try it again.
        Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("a", (await RunAsync(second, streaming)).ServedBy);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Latency_MeasuredInOneProcess_RoutesAnother(bool streaming)
    {
        var a1 = new Target("a", "model-a", Time) { Delay = TimeSpan.FromMilliseconds(800) };
        var b1 = new Target("b", "model-b", Time) { Delay = TimeSpan.FromMilliseconds(50) };
        var a2 = new Target("a", "model-a", Time);
        var b2 = new Target("b", "model-b", Time);
        using var first = Create(a1, [b1], o => o.Strategy = ChatRoutingStrategy.LowestLatency, scope: "shared-latency");
        using var second = Create(a2, [b2], o => o.Strategy = ChatRoutingStrategy.LowestLatency, scope: "shared-latency");

        await RunAsync(first, streaming);
        await RunAsync(first, streaming);
        await SharedAsync();

        // The second process has measured nothing itself, and goes to the faster target at once.
        Assert.Equal("b", (await RunAsync(second, streaming)).ServedBy);
        Assert.Equal(0, a2.Calls);
        var snapshot = await Store!.GetAsync("shared-latency", null, TestContext.Current.CancellationToken);
        Assert.Equal(800, snapshot.Latencies["a"].TotalMilliseconds, 3);
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task Conversation_ServedInOneProcess_StaysOnItsTargetInAnother(bool streaming)
    {
        var a1 = new Target("a", "model-a", Time) { FailWith = Error(ChatProviderErrorKind.Unavailable) };
        var b1 = new Target("b", "model-b", Time);
        var a2 = new Target("a", "model-a", Time);
        var b2 = new Target("b", "model-b", Time);
        using var first = Create(a1, [b1], o => o.Affinity = ChatRoutingAffinity.Conversation, scope: "shared-affinity");
        using var second = Create(a2, [b2], o => o.Affinity = ChatRoutingAffinity.Conversation, scope: "shared-affinity");
        var options = new ChatOptions { ConversationId = "conv-" + Guid.NewGuid().ToString("N") };

        Assert.Equal("b", (await RunAsync(first, streaming, options: options.Clone())).ServedBy);
        await SharedAsync();

        Assert.Equal("b", (await RunAsync(second, streaming, options: options.Clone())).ServedBy);
        Assert.Equal(0, a2.Calls);
        Assert.Equal("a", (await RunAsync(second, streaming, options: new ChatOptions { ConversationId = "another" })).ServedBy);
    }

    [Fact]
    public async Task Store_LaterCooldownWins_EndedOnesDropped_LatencyIsAMovingAverage_AffinityExpires()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = Time.GetUtcNow();
        await Store!.SetCooldownAsync("s", "a", now.AddSeconds(30), ct);
        await Store.SetCooldownAsync("s", "a", now.AddSeconds(10), ct);
        await Store.SetCooldownAsync("s", "b", now.AddMilliseconds(-1), ct);
        await Store.RecordLatencyAsync("s", "a", TimeSpan.FromMilliseconds(100), 0.5, ct);
        await Store.RecordLatencyAsync("s", "a", TimeSpan.FromMilliseconds(300), 0.5, ct);
        await Store.SetAffinityAsync("s", "conv", "b", TimeSpan.FromMilliseconds(200), ct);

        var snapshot = await Store.GetAsync("s", "conv", ct);

        var cooldown = Assert.Single(snapshot.Cooldowns);
        Assert.Equal(("a", now.AddSeconds(30).ToUnixTimeMilliseconds()), (cooldown.Key, cooldown.Value.ToUnixTimeMilliseconds()));
        Assert.Equal(200, snapshot.Latencies["a"].TotalMilliseconds, 3);
        Assert.Equal("b", snapshot.AffinityTarget);
        Assert.NotNull(await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(_options.KeyPrefix + "routing:{s}"));
        Assert.Null((await Store.GetAsync("s", "other", ct)).AffinityTarget);

        // Redis's own clock ends the note (a relative expiry), not the fake one.
        var expiry = await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(_options.KeyPrefix + "routing:{s}:aff:conv");
        Assert.NotNull(expiry);
        Assert.True(expiry <= TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [MemberData(nameof(Streaming))]
    public async Task RedisDown_RoutingGoesOnWithWhatTheProcessKnows(bool streaming)
    {
        using var dead = DeadRedis.Connect();
        var store = new RedisChatRoutingStore(dead, new RedisStateOptions());
        var a = new Target("a", "model-a", Time) { FailWith = Error(ChatProviderErrorKind.Overloaded) };
        var b = new Target("b", "model-b", Time);
        using var client = new FallbackChatClient(
            a.Client,
            [new KeyValuePair<string, IChatClient>("b", b.Client)],
            new FallbackChatClientOptions { PrimaryName = "a", TimeProvider = Time, Store = store, FailureThreshold = 1, Affinity = ChatRoutingAffinity.Conversation });

        Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);
        Assert.Equal("b", (await RunAsync(client, streaming)).ServedBy);
        Assert.Equal(1, a.Calls);
        Assert.Empty((await store.GetAsync("a", null, TestContext.Current.CancellationToken)).Cooldowns);
    }

    // The writes a call starts in the background are queued on the one connection before the call returns: a round trip
    // after them sees them done.
    protected override async Task SharedAsync() => await _redis.Connection.GetDatabase().PingAsync();
}
