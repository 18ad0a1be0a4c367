// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Redis.Tests;

/// <summary>Two hosts configured by AddConfiguredChatClients with the same AI:Redis share their pipelines' state.</summary>
public sealed class ConfiguredPipelineTests(RedisServer redis)
{
    private ServiceProvider Host(EmulatorServer emulator, string prefix, bool withRedis = true)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "emulator-key",
            ["AI:Model"] = "emulator-1",
            ["AI:Pipeline:Cache:Enabled"] = "true",
            ["AI:Pipeline:Cache:Lifetime"] = "5m",
            ["AI:Pipeline:RateLimit:RequestsPerMinute"] = "1",
            ["AI:Pipeline:RateLimit:QueueLimit"] = "0",
        };
        if (withRedis)
        {
            values["AI:Redis:Configuration"] = redis.Configuration;
            values["AI:Redis:KeyPrefix"] = prefix;
        }

        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task TwoHostsOnOneRedis_ShareTheCacheTheRateLimitAndTheLedger()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var prefix = "hosts-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var first = Host(emulator, prefix);
        await using var second = Host(emulator, prefix);
        var ct = TestContext.Current.CancellationToken;

        var answer = await first.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);
        var cached = await second.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);
        var limited = await Assert.ThrowsAsync<ChatProviderException>(() => second.GetRequiredService<IChatClient>().GetResponseAsync("Something else", cancellationToken: ct));

        Assert.Equal(answer.Text, cached.Text);
        Assert.Equal(1, emulator.RequestCount);
        Assert.Equal(true, cached.AdditionalProperties?["llmadapters.cache.hit"]);
        Assert.Equal(0m, cached.GetCost()?.Total);
        Assert.False(answer.AdditionalProperties?.ContainsKey("llmadapters.cache.hit") ?? false);
        Assert.Equal(ChatProviderErrorKind.RateLimited, limited.Kind); // the first host's request counts for the second
        var ledger = Assert.IsType<RedisCostLedger>(second.GetRequiredService<ICostLedger>());
        Assert.Equal(1, (await ledger.GetTotalAsync(cancellationToken: ct)).Calls);
    }

    [Fact]
    public async Task WithoutRedis_TheCacheRunsInMemory_AndNothingIsShared()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var first = Host(emulator, "", withRedis: false);
        await using var second = Host(emulator, "", withRedis: false);
        var ct = TestContext.Current.CancellationToken;

        var answer = await first.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);
        var again = await first.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);
        var other = await second.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: ct);

        Assert.Equal(true, again.AdditionalProperties?["llmadapters.cache.hit"]);
        Assert.False(other.AdditionalProperties?.ContainsKey("llmadapters.cache.hit") ?? false);
        Assert.Equal(2, emulator.RequestCount);
        Assert.IsType<InMemoryCostLedger>(first.GetRequiredService<ICostLedger>());
        Assert.Equal(answer.Text, again.Text);
    }
}
