// Licensed under the MIT License.

using LlmAdapters.Resilience;

namespace LlmAdapters.Redis.Tests;

public sealed class RedisApiKeyCooldownStoreTests(RedisServer redis)
{
    [Fact]
    public async Task CooldownSetByOneInstance_IsReadByAnother_LaterEndWins_EndedOnesAreDropped()
    {
        var options = new RedisStateOptions { KeyPrefix = "keys-" + Guid.NewGuid().ToString("N")[..8] + ":" };
        var writer = new RedisApiKeyCooldownStore(redis.Connection, options);
        var reader = new RedisApiKeyCooldownStore(redis.Connection, options);
        var now = TimeProvider.System.GetUtcNow();
        var ct = TestContext.Current.CancellationToken;

        await writer.SetAsync("client", new ApiKeyCooldown(0, now.AddSeconds(30), ChatProviderErrorKind.RateLimited), ct);
        await writer.SetAsync("client", new ApiKeyCooldown(0, now.AddSeconds(10), ChatProviderErrorKind.RateLimited), ct);
        await writer.SetAsync("client", new ApiKeyCooldown(1, now.AddMilliseconds(-5), ChatProviderErrorKind.Authentication), ct);
        await writer.SetAsync("other", new ApiKeyCooldown(2, now.AddSeconds(30), ChatProviderErrorKind.Authentication), ct);
        var cooling = await reader.GetAsync("client", ct);

        var only = Assert.Single(cooling);
        Assert.Equal(0, only.KeyIndex);
        Assert.Equal(ChatProviderErrorKind.RateLimited, only.Reason);
        Assert.Equal(now.AddSeconds(30).ToUnixTimeMilliseconds(), only.Until.ToUnixTimeMilliseconds());
        Assert.NotNull(await redis.Connection.GetDatabase().KeyTimeToLiveAsync(options.KeyPrefix + "apikeys:{client}"));
    }

    [Fact]
    public async Task RedisDown_ReadsNothing_AndWritesAreDropped()
    {
        using var dead = DeadRedis.Connect();
        var store = new RedisApiKeyCooldownStore(dead, new RedisStateOptions());

        await store.SetAsync("client", new ApiKeyCooldown(0, TimeProvider.System.GetUtcNow().AddSeconds(5), ChatProviderErrorKind.RateLimited), TestContext.Current.CancellationToken);

        Assert.Empty(await store.GetAsync("client", TestContext.Current.CancellationToken));
    }
}
