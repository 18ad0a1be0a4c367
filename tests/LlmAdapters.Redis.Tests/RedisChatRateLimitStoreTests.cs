// Licensed under the MIT License.

using LlmAdapters.Resilience;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Redis.Tests;

public sealed class RedisChatRateLimitStoreTests(RedisServer redis)
{
    private RedisStateOptions Options(TimeSpan? leaseTimeout = null) => new()
    {
        KeyPrefix = "rate-" + Guid.NewGuid().ToString("N")[..8] + ":",
        LeaseTimeout = leaseTimeout ?? TimeSpan.FromSeconds(30),
    };

    private static ChatRateLimiter Limiter(int? rpm = null, int? tpm = null, int? concurrency = null) =>
        new(new RateLimitingChatClientOptions { RequestsPerMinute = rpm, TokensPerMinute = tpm, MaxConcurrency = concurrency });

    [Fact]
    public async Task Tokens_UnusedEstimateIsGivenBack()
    {
        using var store = new RedisChatRateLimitStore(redis.Connection, Options());
        using var limiter = Limiter(tpm: 100);
        var ct = TestContext.Current.CancellationToken;

        var first = await store.TryAcquireAsync("l", limiter, "a", 80, ct);
        var tooMany = await store.TryAcquireAsync("l", limiter, "b", 50, ct);
        await store.ReleaseAsync("l", limiter, "a", 80, 10, ct);
        var afterGiveBack = await store.TryAcquireAsync("l", limiter, "c", 50, ct);

        Assert.Equal(TimeSpan.Zero, first);
        Assert.True(tooMany > TimeSpan.Zero);
        Assert.True(tooMany <= TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, afterGiveBack);
    }

    [Fact]
    public async Task Requests_AreCountedOverTheWindowOnTheServer()
    {
        var options = Options();
        options.RateLimitWindow = TimeSpan.FromMilliseconds(500);
        using var store = new RedisChatRateLimitStore(redis.Connection, options);
        using var limiter = Limiter(rpm: 2);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(TimeSpan.Zero, await store.TryAcquireAsync("l", limiter, "a", 0, ct));
        Assert.Equal(TimeSpan.Zero, await store.TryAcquireAsync("l", limiter, "b", 0, ct));
        var wait = await store.TryAcquireAsync("l", limiter, "c", 0, ct);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(501));
        await Task.Delay(wait + TimeSpan.FromMilliseconds(20), TimeProvider.System, ct);
        Assert.Equal(TimeSpan.Zero, await store.TryAcquireAsync("l", limiter, "c", 0, ct));
    }

    [Fact]
    public async Task ConcurrencySlot_OfAProcessThatDied_IsFreedAfterTheLeaseTimeout_WhileALiveProcessKeepsItsOwn()
    {
        var options = Options(TimeSpan.FromMilliseconds(300));
        using var limiter = Limiter(concurrency: 1);
        var ct = TestContext.Current.CancellationToken;
        using var other = new RedisChatRateLimitStore(redis.Connection, options);

        using (var alive = new RedisChatRateLimitStore(redis.Connection, options))
        {
            Assert.Equal(TimeSpan.Zero, await alive.TryAcquireAsync("l", limiter, "held", 0, ct));
            await Task.Delay(TimeSpan.FromMilliseconds(700), TimeProvider.System, ct); // renewed every 100 ms
            Assert.True(await other.TryAcquireAsync("l", limiter, "x", 0, ct) > TimeSpan.Zero);
        }

        // The holder is gone without releasing (its renewals stopped): its slot expires.
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, ct);
        Assert.Equal(TimeSpan.Zero, await other.TryAcquireAsync("l", limiter, "y", 0, ct));
        await other.ReleaseAsync("l", limiter, "y", 0, 0, ct);
        Assert.Equal(TimeSpan.Zero, await other.TryAcquireAsync("l", limiter, "z", 0, ct));
    }

    [Fact]
    public async Task RateLimitingChatClient_WithTheStore_SharesLimitsBetweenInstances()
    {
        using var store = new RedisChatRateLimitStore(redis.Connection, Options());
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) };
        RateLimitingChatClientOptions Limits() => new() { RequestsPerMinute = 2, QueueLimit = 0, Store = store, SharedName = "shared" };
        using var a = new RateLimitingChatClient(inner, Limits());
        using var b = new RateLimitingChatClient(inner, Limits());

        await a.GetResponseAsync("1", cancellationToken: TestContext.Current.CancellationToken);
        await b.GetResponseAsync("2", cancellationToken: TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => a.GetResponseAsync("3", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.NotNull(ex.RetryAfter);
    }

    [Fact]
    public async Task RedisDown_DefaultPolicy_FallsBackToTheInProcessLimiter()
    {
        using var dead = DeadRedis.Connect();
        using var store = new RedisChatRateLimitStore(dead, new RedisStateOptions());
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) };
        using var client = new RateLimitingChatClient(inner, new RateLimitingChatClientOptions { RequestsPerMinute = 2, QueueLimit = 0, Store = store, SharedName = "shared" });

        await client.GetResponseAsync("1", cancellationToken: TestContext.Current.CancellationToken);
        await client.GetResponseAsync("2", cancellationToken: TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("3", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal("local_rate_limit", ex.ErrorCode);
    }

    [Fact]
    public async Task RedisDown_FailClosed_RefusesWithUnavailableNamingRedis()
    {
        using var dead = DeadRedis.Connect();
        using var store = new RedisChatRateLimitStore(dead, new RedisStateOptions { RateLimitFailure = RedisFailurePolicy.FailClosed });
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) };
        using var client = new RateLimitingChatClient(inner, new RateLimitingChatClientOptions { RequestsPerMinute = 2, Store = store, SharedName = "shared" });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("1", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal("redis", ex.ProviderName);
    }
}
