// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Cost.Tests;

/// <summary>Issue 21: service-tier rows, cache writes by TTL, the one pricing decision, and the unpriced-model policy, without a pipeline.</summary>
public sealed class InvoicePricingUnitTests
{
    private static readonly UsageDetails s_million = new() { InputTokenCount = 1_000_000, OutputTokenCount = 1_000_000 };

    [Theory]
    [InlineData(null, null, 2.25)]
    [InlineData("default", null, 2.25)]
    [InlineData("auto", null, 2.25)]
    [InlineData("standard", null, 2.25)]
    [InlineData("flex", "flex", 1.125)]
    [InlineData("FLEX", "flex", 1.125)]
    [InlineData("priority", "priority", 4.05)]
    [InlineData("SERVICE_TIER_PRIORITY", "priority", 4.05)]
    [InlineData("scale", null, 2.25)] // no row: priced at standard
    public void ServiceTier_SelectsTheTiersRow(string? reported, string? priced, double total)
    {
        var cost = PriceCatalog.Default.Calculate(s_million, "gpt-5-mini-2025-08-07", "gpt-5-mini", reported);

        Assert.NotNull(cost);
        Assert.Equal(priced, cost.ServiceTier);
        Assert.Equal((decimal)total, cost.Total);
        Assert.Equal(PricedModelSource.ResponseModel, cost.PricedBy);
    }

    [Fact]
    public void Decision_UnknownResponseModel_FallsBackToTheRequestedOne_AndSaysSo()
    {
        var byRequest = PriceCatalog.Default.Calculate(s_million, "router/unknown-model-9", "gpt-4o-mini");
        var none = PriceCatalog.Default.Calculate(s_million, "router/unknown-model-9", "also-unknown");

        Assert.NotNull(byRequest);
        Assert.Equal(PricedModelSource.RequestedModel, byRequest.PricedBy);
        Assert.Equal("gpt-4o-mini", byRequest.PricedAs);
        Assert.Equal("router/unknown-model-9", byRequest.ModelId);
        Assert.Equal(0.75m, byRequest.Total);
        Assert.Null(none);
    }

    [Fact]
    public void CacheWrites_ArePricedByTtl_FromEitherKeyShape()
    {
        var price = PriceCatalog.Default.GetPrice("claude-sonnet-4-5")!;
        var adapterShape = new UsageDetails
        {
            InputTokenCount = 4000,
            AdditionalCounts = new()
            {
                [ModelPrice.ProviderCacheWriteTokensKey] = 3000,
                [ModelPrice.CacheWrite5mTokensKey] = 1000,
                [ModelPrice.CacheWrite1hTokensKey] = 2000,
            },
        };
        var splitOnly = new UsageDetails
        {
            InputTokenCount = 4000,
            AdditionalCounts = new() { [ModelPrice.CacheWrite5mTokensKey] = 1000, [ModelPrice.CacheWrite1hTokensKey] = 2000 },
        };

        // 1000 uncached x $3 + 1000 x $3.75 (5 minutes) + 2000 x $6 (1 hour), per million.
        Assert.Equal(0.01875m, price.Calculate(adapterShape).Total);
        Assert.Equal(0.01875m, price.Calculate(splitOnly).Total);
        Assert.Equal(6m, price.CacheWrite1hPerMillion);
    }

    [Fact]
    public void Configuration_ServiceTiers_AndTheUnpricedPolicy_AreRead()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pricing:Models:my-model:Input"] = "1",
            ["Pricing:Models:my-model:Output"] = "2",
            ["Pricing:Models:my-model:ServiceTiers:flex:Input"] = "0.5",
            ["Pricing:Models:my-model:ServiceTiers:flex:Output"] = "1",
            ["Pricing:UnpricedModels"] = "Estimate",
            ["Pricing:Estimate:Input"] = "10",
            ["Pricing:Estimate:Output"] = "20",
        }).Build().GetSection("Pricing");

        var catalog = PriceCatalog.Default.WithConfiguration(section);

        Assert.Equal(1.5m, catalog.Calculate(s_million, "my-model", null, "flex")!.Total);
        Assert.Equal(3m, catalog.Calculate(s_million, "my-model", null)!.Total);
        Assert.Equal(UnpricedModelPolicy.Estimate, catalog.UnpricedModels);
        var estimated = catalog.Calculate(s_million, "nobody-knows", null);
        Assert.NotNull(estimated);
        Assert.True(estimated.IsEstimated);
        Assert.Equal(PricedModelSource.EstimatePolicy, estimated.PricedBy);
        Assert.Equal(30m, estimated.Total);
        Assert.Contains("(estimated)", estimated.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledStream_WithoutUsage_IsRecordedEstimated_AndTheBudgetSpendsTheSame()
    {
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        var limit = new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = 10m, Period = BudgetPeriod.Daily };
        using var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("openai", null, "gpt-4o-mini"),
            GetStreamingResponseAsyncCallback = (_, _, ct) => Endless(ct),
        };
        using var accounting = new CostAccountingChatClient(inner, new CostAccountingChatClientOptions { Ledger = ledger });
        using var budget = new BudgetChatClient(accounting, new BudgetChatClientOptions { Store = store, Limits = { limit } });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in budget.GetStreamingResponseAsync("Tell me a long story", new ChatOptions { MaxOutputTokens = 1000 }, cts.Token))
            {
                if (++seen == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });

        var total = ledger.GetTotal();
        Assert.Equal(1, total.Calls);
        Assert.True(total.Total > 0m);
        Assert.True(total.OutputTokens >= 5);
        Assert.Equal(total.Total, (await store.GetUsageAsync(limit, "default", TestContext.Current.CancellationToken)).Spent);

        static async IAsyncEnumerable<ChatResponseUpdate> Endless([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, ct);
                yield return new ChatResponseUpdate(ChatRole.Assistant, "word after word ") { ModelId = "gpt-4o-mini" };
            }
        }
    }
}
