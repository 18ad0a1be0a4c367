// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace LlmAdapters.Redis.Tests;

/// <summary>
/// Issue 21: a provider answering with a model id the catalog does not know was recorded at $0 in the Redis ledger while
/// the budget charged the full price. One pricing decision per call: the shared ledger total equals the budget's spend.
/// </summary>
public sealed class PricingDecisionRedisTests(RedisServer redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownResponseModel_OnRedis_LedgerTotalEqualsBudgetSpend(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Model = "acme-finetune-unknown-7", Text = "Hello there.", InputTokens = 1000, OutputTokens = 500 });
        emulator.Replies.Enqueue(new EmulatorReply { Model = "acme-finetune-unknown-7", Text = "Again.", InputTokens = 2000, OutputTokens = 100 });
        var prefix = "pricing-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "emulator-key",
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:Pipeline:Budget:Daily"] = "10",
            ["AI:Redis:Configuration"] = redis.Configuration,
            ["AI:Redis:KeyPrefix"] = prefix,
        }).Build().GetSection("AI"));
        await using var host = services.BuildServiceProvider();
        var client = host.GetRequiredService<IChatClient>();

        for (var i = 0; i < 2; i++)
        {
            if (streaming)
            {
                await foreach (var update in client.GetStreamingResponseAsync("Hello " + i, cancellationToken: Ct))
                {
                    _ = update;
                }
            }
            else
            {
                _ = await client.GetResponseAsync("Hello " + i, cancellationToken: Ct);
            }
        }

        await host.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync(); // the ledger writes without waiting
        var ledger = Assert.IsType<RedisCostLedger>(host.GetRequiredService<ICostLedger>());
        var total = await ledger.GetTotalAsync(cancellationToken: Ct);
        var budget = Assert.IsType<RedisBudgetStore>(host.GetRequiredService<IBudgetStore>());
        var spent = (await budget.GetUsageAsync(new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = 10m, Period = BudgetPeriod.Daily }, "default", Ct)).Spent;

        Assert.Equal(2, total.Calls);
        Assert.Equal(0, total.UnpricedCalls);
        Assert.Equal(0.00045m + 0.00036m, total.Total); // priced as the requested gpt-4o-mini: $0.15 input, $0.60 output per million
        Assert.Equal(total.Total, spent);
    }
}
