// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Cost;

/// <summary>
/// Issue 21: the recorded-shape fixtures of tests/Fixtures (each .md names its documentation source) served over real HTTP
/// to the real adapters in a configured pipeline: the service tier the response reports and the Anthropic cache writes by
/// TTL reach the price, and the ledger records what the budget spends.
/// </summary>
public sealed class RecordedUsagePricingTests
{
    private static readonly BudgetLimit s_daily = new() { Name = "AI:Pipeline:Budget:Daily", Amount = 10m, Period = BudgetPeriod.Daily };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, bool, string?, double> Cases { get; } = new()
    {
        { "anthropic", "claude-haiku-4-5", "anthropic/docs-nonstream-cache-write-ttl.json", false, "standard", 0.005128 },
        { "anthropic", "claude-haiku-4-5", "anthropic/docs-stream-cache-write-ttl.sse", true, "standard", 0.005128 },
        { "openai", "gpt-5-mini", "openai/docs-nonstream-service-tier-flex.json", false, "flex", 0.0003348 },
        { "openai", "gpt-4o-mini", "openai/docs-stream-service-tier-priority.sse", true, "priority", 0.00045 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RecordedUsage_IsPricedAsTheInvoice_AndTheLedgerEqualsTheBudget(string provider, string model, string fixture, bool streaming, string? tier, double expected)
    {
        await using var server = HostileProviderServer.Start(HostileAnswer.Text(200, streaming ? "text/event-stream" : "application/json", Fixture.Text(fixture)));
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        var services = new ServiceCollection();
        services.AddSingleton<ICostLedger>(ledger);
        services.AddSingleton<IBudgetStore>(store);
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = (provider == "openai" ? new Uri(server.BaseAddress, "v1") : server.BaseAddress).ToString(),
            ["AI:ApiKey"] = "sk-test-recorded-0000000000000000",
            ["AI:Model"] = model,
            ["AI:MaxOutputTokens"] = "1000",
            ["AI:Pipeline:Budget:Daily"] = "10",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        }).Build().GetSection("AI"));
        await using var host = services.BuildServiceProvider();
        var client = host.GetRequiredService<IChatClient>();

        ChatCost? cost;
        ChatResponse response;
        if (streaming)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("Hello", cancellationToken: Ct))
            {
                updates.Add(update);
            }

            cost = updates.GetCost();
            response = updates.ToChatResponse();
            Assert.Contains(updates, u => u.Contents.OfType<UsageContent>().Any() && Equals(u.AdditionalProperties?["service_tier"], tier));
        }
        else
        {
            response = await client.GetResponseAsync("Hello", cancellationToken: Ct);
            cost = response.GetCost();
            Assert.Equal(tier, response.AdditionalProperties?["service_tier"]);
        }

        Assert.NotNull(cost);
        Assert.Equal((decimal)expected, cost.Total);
        Assert.Equal(tier is "standard" ? null : tier, cost.ServiceTier);
        Assert.Equal(PricedModelSource.ResponseModel, cost.PricedBy);
        if (provider == "anthropic")
        {
            Assert.Equal(4096, response.Usage?.InputTokenCount);
            Assert.Equal(100, response.Usage?.AdditionalCounts?[ModelPrice.CacheWrite1hTokensKey]);
            Assert.Equal(148, response.Usage?.AdditionalCounts?[ModelPrice.CacheWrite5mTokensKey]);
        }

        Assert.Equal(cost.Total, ledger.GetTotal().Total);
        Assert.Equal(cost.Total, (await store.GetUsageAsync(s_daily, "default", Ct)).Spent);
    }
}
