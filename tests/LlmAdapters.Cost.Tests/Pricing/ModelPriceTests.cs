// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

public sealed class ModelPriceTests
{
    private static ChatCost Cost(string model, UsageDetails usage) => PriceCatalog.Default.Calculate(model, usage) ?? throw new InvalidOperationException("No price for " + model);

    [Fact]
    public void Calculate_OpenAIFixture_ClampsCachedAndReasoningToTheirTotals()
    {
        // nonstream-text.md: gpt-4o-mini-2024-07-18, input 8, output 9, cached 13, reasoning 90 (edited numbers: subsets larger than totals).
        var (model, usage) = FixtureUsage.OpenAI("openai/nonstream-text.json");
        Assert.Equal("gpt-4o-mini-2024-07-18", model);
        var cost = Cost(model, usage);

        // 8 cached at $0.075/M + 9 reasoning (all of the output) at the output price $0.60/M.
        Assert.Equal(0.0000006m, cost.CachedInput);
        Assert.Equal(0m, cost.Input);
        Assert.Equal(0m, cost.Output);
        Assert.Equal(0.0000054m, cost.Reasoning);
        Assert.Equal(0.000006m, cost.Total);
        Assert.Equal("gpt-4o-mini", cost.PricedAs);
        Assert.Equal(model, cost.ModelId);
    }

    [Fact]
    public void Calculate_OpenAICachedInput_BillsCachedTokensAtCachedPrice()
    {
        // gpt-4o: 1000 input of which 400 cached, 500 output: 600 x 2.50 + 400 x 1.25 + 500 x 10.00 per million.
        var cost = Cost("gpt-4o", new UsageDetails { InputTokenCount = 1000, CachedInputTokenCount = 400, OutputTokenCount = 500, TotalTokenCount = 1500 });
        Assert.Equal(0.0015m, cost.Input);
        Assert.Equal(0.0005m, cost.CachedInput);
        Assert.Equal(0.005m, cost.Output);
        Assert.Equal(0.007m, cost.Total);
    }

    [Fact]
    public void Calculate_OpenAIReasoning_BillsReasoningAsOutput()
    {
        // o3: 2000 input, 1500 output of which 1000 reasoning: 2000 x 2 + 1500 x 8 per million.
        var cost = Cost("o3", new UsageDetails { InputTokenCount = 2000, OutputTokenCount = 1500, ReasoningTokenCount = 1000, TotalTokenCount = 3500 });
        Assert.Equal(0.004m, cost.Output);
        Assert.Equal(0.008m, cost.Reasoning);
        Assert.Equal(0.016m, cost.Total);
    }

    [Fact]
    public void Calculate_AnthropicFixture_MatchesHandComputedCost()
    {
        // nonstream-tool-use.md: claude-haiku-4-5-20251001, input 597 (no cache), output 71: 597 x 1 + 71 x 5 per million.
        var (model, usage) = FixtureUsage.Anthropic("anthropic/nonstream-tool-use.json");
        var cost = Cost(model, usage);
        Assert.Equal("claude-haiku-4-5", cost.PricedAs);
        Assert.Equal(0.000597m, cost.Input);
        Assert.Equal(0.000355m, cost.Output);
        Assert.Equal(0.000952m, cost.Total);
    }

    [Fact]
    public void Calculate_AnthropicCacheReadAndWrite_BillsEachAtItsPrice()
    {
        // claude-sonnet-4-5: 10000 input = 2000 uncached + 5000 read + 3000 written; 1000 output.
        var usage = new UsageDetails
        {
            InputTokenCount = 10_000,
            CachedInputTokenCount = 5_000,
            OutputTokenCount = 1_000,
            AdditionalCounts = new() { [ModelPrice.CacheWriteTokensKey] = 3_000 },
        };
        var cost = Cost("claude-sonnet-4-5-20250929", usage);
        Assert.Equal(0.006m, cost.Input);        // 2000 x $3
        Assert.Equal(0.0015m, cost.CachedInput);  // 5000 x $0.30
        Assert.Equal(0.01125m, cost.CacheWrite);  // 3000 x $3.75
        Assert.Equal(0.015m, cost.Output);        // 1000 x $15
        Assert.Equal(0.03375m, cost.Total);
        Assert.Null(cost.TierAboveInputTokens);
    }

    [Fact]
    public void Calculate_AnthropicLongContext_UsesTierForWholeRequest()
    {
        // claude-sonnet-4-5 above 200K input: $6 input, $0.60 cache read, $22.50 output.
        var usage = new UsageDetails { InputTokenCount = 250_000, CachedInputTokenCount = 50_000, OutputTokenCount = 2_000 };
        var cost = Cost("claude-sonnet-4-5", usage);
        Assert.Equal(200_000, cost.TierAboveInputTokens);
        Assert.Equal(1.2m, cost.Input);
        Assert.Equal(0.03m, cost.CachedInput);
        Assert.Equal(0.045m, cost.Output);
        Assert.Equal(1.275m, cost.Total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Calculate_GeminiFixture_BillsThoughtsAsOutputInEitherShape(bool folded)
    {
        // stream-thinking-signature-gemini3.md: gemini-3-pro-preview, prompt 9, candidates 29, thoughts 256, total 294.
        var (model, usage) = FixtureUsage.Gemini("gemini/stream-thinking-signature-gemini3.sse", folded);
        Assert.Equal("gemini-3-pro-preview", model);
        var cost = Cost(model, usage);

        // 9 x $2 + (29 + 256) x $12 per million.
        Assert.Equal(0.000018m, cost.Input);
        Assert.Equal(0.000348m, cost.Output);
        Assert.Equal(0.003072m, cost.Reasoning);
        Assert.Equal(0.003438m, cost.Total);
    }

    [Fact]
    public void Calculate_GeminiLongContext_UsesTierAbove200K()
    {
        var longPrompt = Cost("gemini-2.5-pro", new UsageDetails { InputTokenCount = 300_000, OutputTokenCount = 1_000 });
        Assert.Equal(0.765m, longPrompt.Total); // 300000 x $2.50 + 1000 x $15

        var atThreshold = Cost("gemini-2.5-pro", new UsageDetails { InputTokenCount = 200_000, OutputTokenCount = 1_000 });
        Assert.Equal(0.26m, atThreshold.Total); // 200000 x $1.25 + 1000 x $10: the tier starts above 200K
    }

    [Fact]
    public void Calculate_DashScopeFixture_MatchesHandComputedCost()
    {
        // compat-nonstream-reasoning.md: qwen3-max, prompt 24, completion 1668 (1353 reasoning), cached 0.
        var (model, usage) = FixtureUsage.OpenAI("dashscope/compat-nonstream-reasoning.json");
        var cost = Cost(model, usage);
        Assert.Equal(0.0000288m, cost.Input);   // 24 x $1.20
        Assert.Equal(0.0100368m, cost.Total);   // + 1668 x $6
    }

    [Fact]
    public void Calculate_DashScopeThinkingMode_BillsAllOutputAtThinkingPrice()
    {
        var thinking = Cost("qwen-plus", new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500, ReasoningTokenCount = 300 });
        Assert.Equal(0.0024m, thinking.Total); // 1000 x $0.40 + 500 x $4

        var plain = Cost("qwen-plus", new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 });
        Assert.Equal(0.001m, plain.Total); // 1000 x $0.40 + 500 x $1.20
    }

    [Fact]
    public void Calculate_QwenContextTiers_ChoosesTierByPromptSize()
    {
        Assert.Equal(0.132m, Cost("qwen3-max", new UsageDetails { InputTokenCount = 50_000, OutputTokenCount = 1_000 }).Total); // $2.40 / $12
        Assert.Equal(0.615m, Cost("qwen3-max", new UsageDetails { InputTokenCount = 200_000, OutputTokenCount = 1_000 }).Total); // $3 / $15
    }

    [Fact]
    public void CalculateWorstCase_UsesInputAndFullOutputLimit()
    {
        var price = PriceCatalog.Default.GetPrice("gpt-4o")!;
        Assert.Equal(0.0075m, price.CalculateWorstCase(1000, 500)); // 1000 x $2.50 + 500 x $10

        var claude = PriceCatalog.Default.GetPrice("claude-sonnet-4-6")!;
        Assert.Equal(0.021m, claude.CalculateWorstCase(1000, 1000)); // input at the 1-hour cache-write price $6 (2x) + $15
    }

    [Fact]
    public void FormatUsd_UsesInvariantCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("$0.0075", ChatCost.FormatUsd(0.0075m));
            Assert.Equal("$1.50", ChatCost.FormatUsd(1.5m));
            Assert.Equal("$0.00000012", ChatCost.FormatUsd(0.00000012m));
            Assert.Equal("$0.0075", new ChatCost { Total = 0.0075m }.ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
