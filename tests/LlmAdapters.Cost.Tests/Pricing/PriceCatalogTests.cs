// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Cost.Tests;

public sealed class PriceCatalogTests
{
    [Theory]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-2024-05-13", "gpt-4o-2024-05-13")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-3.5-turbo-0125", "gpt-3.5-turbo")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-sonnet-4@20250514", "claude-sonnet-4")]
    [InlineData("claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("claude-3-7-sonnet-latest", "claude-3-7-sonnet")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("gemini-2.0-flash-001", "gemini-2.0-flash")]
    [InlineData("dashscope/qwen-plus", "qwen-plus")]
    [InlineData("qwen-plus-2025-07-28", "qwen-plus")]
    [InlineData("openai/gpt-5-mini-2025-08-07", "gpt-5-mini")]
    public void GetPrice_ResolutionRules_FindFamily(string modelId, string expected)
    {
        Assert.Equal(expected, PriceCatalog.Default.GetPrice(modelId)?.ModelId);
    }

    [Theory]
    [InlineData("gpt-4o-mini-custom")]
    [InlineData("llama3.1:8b")]
    [InlineData("claude-next")]
    [InlineData("")]
    [InlineData(null)]
    public void GetPrice_UnknownModel_ReturnsNull(string? modelId)
    {
        Assert.Null(PriceCatalog.Default.GetPrice(modelId));
        Assert.Null(PriceCatalog.Default.Calculate(modelId, new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 }));
    }

    [Fact]
    public void GetPrice_DatedSnapshotWithOwnRow_WinsOverFamily()
    {
        var snapshot = PriceCatalog.Default.GetPrice("gpt-4o-2024-05-13")!;
        var family = PriceCatalog.Default.GetPrice("gpt-4o")!;
        Assert.Equal(5m, snapshot.InputPerMillion);
        Assert.Equal(2.5m, family.InputPerMillion);
    }

    [Fact]
    public void Default_EveryRow_HasPricesSourceAndDate()
    {
        var prices = PriceCatalog.Default.Prices;
        Assert.True(prices.Count >= 50, $"only {prices.Count} rows");
        foreach (var provider in new[] { "openai", "anthropic", "gemini", "dashscope" })
        {
            Assert.Contains(prices, p => p.Provider == provider);
        }

        foreach (var price in prices)
        {
            Assert.True(price.InputPerMillion > 0 && price.OutputPerMillion > 0, price.ModelId);
            Assert.False(string.IsNullOrWhiteSpace(price.Source), price.ModelId);
            Assert.NotNull(price.EffectiveDate);
            Assert.True(price.EffectiveDate >= new DateOnly(2026, 7, 24), price.ModelId);
            Assert.All(price.Tiers, t => Assert.True(t.AboveInputTokens > 0));
            Assert.All(price.ServiceTiers, row =>
            {
                Assert.Contains(row.ServiceTier, new[] { "flex", "priority", "batch" });
                Assert.True(row.InputPerMillion > 0 && row.OutputPerMillion > 0, price.ModelId + " " + row.ServiceTier);
                Assert.False(string.IsNullOrWhiteSpace(row.Source), price.ModelId + " " + row.ServiceTier);
                Assert.NotNull(row.EffectiveDate);
            });
        }
    }

    [Fact]
    public void WithConfiguration_OverridesOneKey_KeepsTheOthers()
    {
        var catalog = PriceCatalog.Default.WithConfiguration(Config(new()
        {
            ["AI:Pricing:Models:gpt-4o:Input"] = "3",
            ["AI:Pricing:Models:gpt-4o:EffectiveDate"] = "2026-08-01",
        }));

        var price = catalog.GetPrice("gpt-4o-2024-08-06")!;
        Assert.Equal(3m, price.InputPerMillion);
        Assert.Equal(10m, price.OutputPerMillion);
        Assert.Equal(1.25m, price.CachedInputPerMillion);
        Assert.Equal(new DateOnly(2026, 8, 1), price.EffectiveDate);
        Assert.Contains("AI:Pricing:Models:gpt-4o", price.Source, StringComparison.Ordinal);
        Assert.Equal(2.5m, PriceCatalog.Default.GetPrice("gpt-4o")!.InputPerMillion);
    }

    [Fact]
    public void WithConfiguration_NewModelWithTiersAndAlias_IsPriced()
    {
        var catalog = PriceCatalog.Default.WithConfiguration(Config(new()
        {
            ["AI:Pricing:Models:my-llama:Input"] = "0.2",
            ["AI:Pricing:Models:my-llama:Output"] = "0.6",
            ["AI:Pricing:Models:my-llama:Tiers:0:AboveInputTokens"] = "100000",
            ["AI:Pricing:Models:my-llama:Tiers:0:Input"] = "0.4",
            ["AI:Pricing:Models:0:Model"] = "ft:gpt-4o-mini:acme::abc",
            ["AI:Pricing:Models:0:Input"] = "0.3",
            ["AI:Pricing:Models:0:Output"] = "1.2",
            ["AI:Pricing:Aliases:prod-gpt4o"] = "gpt-4o",
        }));

        Assert.Equal(0.0008m, catalog.Calculate("my-llama", new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1000 })!.Total);
        Assert.Equal(0.0406004m, catalog.Calculate("my-llama", new UsageDetails { InputTokenCount = 100_001, OutputTokenCount = 1000 })!.Total); // tier input $0.40, base output $0.60
        Assert.Equal(0.3m, catalog.GetPrice("ft:gpt-4o-mini:acme::abc")!.InputPerMillion);
        Assert.Equal("gpt-4o", catalog.GetPrice("prod-gpt4o")!.ModelId);
    }

    [Fact]
    public void WithConfiguration_InvalidValues_ThrowNamingTheKey()
    {
        var section = Config(new()
        {
            ["AI:Pricing:Models:gpt-4o:Output"] = "ten",
            ["AI:Pricing:Models:new-model:Input"] = "1",
        });

        var errors = PriceCatalog.Default.Validate(section);
        Assert.Contains(errors, e => e.Contains("AI:Pricing:Models:gpt-4o:Output", StringComparison.Ordinal) && e.Contains("'ten'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AI:Pricing:Models:new-model", StringComparison.Ordinal) && e.Contains("Input and Output", StringComparison.Ordinal));
        var ex = Assert.Throws<InvalidOperationException>(() => PriceCatalog.Default.WithConfiguration(section));
        Assert.Contains("AI:Pricing:Models:gpt-4o:Output", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithPrices_FromCode_ReplacesRow()
    {
        var catalog = PriceCatalog.Default.WithPrices([new ModelPrice { ModelId = "gpt-4o", InputPerMillion = 1, OutputPerMillion = 2 }]);
        Assert.Equal(0.003m, catalog.Calculate("gpt-4o-2024-11-20", new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1000 })!.Total);
    }

    private static IConfigurationSection Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI:Pricing");
}
