// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LlmAdapters.Redis.Tests;

public sealed class RedisConfigurationTests(RedisServer redis)
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create("AI:Redis:" + v.Key, (string?)v.Value))).Build().GetSection("AI:Redis");

    [Fact]
    public void NoConfiguration_RegistersNothing_StateStaysInProcess()
    {
        var services = new ServiceCollection();

        var added = services.AddRedisChatState(Section());

        Assert.False(added);
        Assert.Empty(services);
    }

    [Fact]
    public void InvalidConnectionString_FailsWithAMessageNamingTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRedisChatState(Section(("Configuration", "localhost:6379,notAnOption=1"))));

        Assert.Contains("AI:Redis:Configuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidFailurePolicy_FailsWithAMessageNamingTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRedisChatState(Section(("Configuration", "localhost:6379"), ("Failure:Budget", "Sometimes"))));

        Assert.Contains("AI:Redis:Failure:Budget", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableAtStart_FailsWithAMessageNamingTheKeyAndTheEndpoint()
    {
        var services = new ServiceCollection();
        services.AddRedisChatState(Section(("Configuration", "127.0.0.1:1,connectTimeout=200,password=s3cret")));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IConnectionMultiplexer>());

        Assert.Contains("AI:Redis:Configuration", ex.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_RegistersEveryStoreOnOneConnection_AndReusesARegisteredOne()
    {
        var services = new ServiceCollection();
        services.AddSingleton(redis.Connection);
        services.AddSingleton<IBudgetStore>(new InMemoryBudgetStore());

        var added = services.AddRedisChatState(Section(("KeyPrefix", "di-" + Guid.NewGuid().ToString("N")[..8] + ":")));
        await using var provider = services.BuildServiceProvider();

        Assert.True(added);
        Assert.Same(redis.Connection, provider.GetRequiredService<IConnectionMultiplexer>());
        Assert.IsType<RedisBudgetStore>(provider.GetRequiredService<IBudgetStore>());
        Assert.IsType<RedisCostLedger>(provider.GetRequiredService<ICostLedger>());
        Assert.IsType<RedisChatRateLimitStore>(provider.GetRequiredService<IChatRateLimitStore>());
        Assert.IsType<RedisApiKeyCooldownStore>(provider.GetRequiredService<IApiKeyCooldownStore>());
        var cache = provider.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("k", [1, 2, 3], new DistributedCacheEntryOptions(), TestContext.Current.CancellationToken);
        Assert.Equal([1, 2, 3], await cache.GetAsync("k", TestContext.Current.CancellationToken));
        var state = provider.GetRequiredService<RedisChatState>();
        var limits = state.Apply(new RateLimitingChatClientOptions { RequestsPerMinute = 1 }, "chat");
        Assert.Same(state.RateLimits, limits.Store);
        Assert.Equal("client:chat", limits.SharedName);
        Assert.Equal("chat", state.Apply(new ApiKeyRotationChatClientOptions(), "chat").CooldownScope);
    }

    [Fact]
    public async Task Cache_RedisDown_FailsOpenByDefault_OrRefusesWhenFailClosed()
    {
        using var dead = DeadRedis.Connect();
        static Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache Over(IConnectionMultiplexer connection) =>
            new(new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions { ConnectionMultiplexerFactory = () => Task.FromResult(connection) });
        var open = new RedisFailSafeDistributedCache(Over(dead), new RedisStateOptions());
        var closed = new RedisFailSafeDistributedCache(Over(dead), new RedisStateOptions { CacheFailure = RedisFailurePolicy.FailClosed });
        var ct = TestContext.Current.CancellationToken;

        await open.SetAsync("k", [1], new DistributedCacheEntryOptions(), ct);
        Assert.Null(await open.GetAsync("k", ct));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => closed.GetAsync("k", ct));
        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }
}
