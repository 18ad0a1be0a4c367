// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

public sealed class TiktokenTokenEstimatorTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("openai/o4-mini", "o200k_base")]
    [InlineData("ft:gpt-4o-mini:acme::x", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("claude-sonnet-4-5", null)]
    [InlineData("gemini-2.5-pro", null)]
    [InlineData("qwen3-max", null)]
    [InlineData(null, null)]
    public void GetEncodingName_ByModelFamily(string? model, string? expected)
    {
        Assert.Equal(expected, TiktokenTokenEstimator.GetEncodingName(model));
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("gpt-4")]
    public void EstimateInputTokens_OpenAIModel_CountsTokensPlusFraming(string model)
    {
        // "hello world" is 2 tokens in both o200k_base and cl100k_base; 3 per message + 1 role + 3 to prime the reply.
        var tokens = TiktokenTokenEstimator.Default.EstimateInputTokens([new ChatMessage(ChatRole.User, "hello world")], new ChatOptions { ModelId = model });
        Assert.Equal(9, tokens);
    }

    [Fact]
    public void EstimateInputTokens_OtherModel_UsesApproximateFallback()
    {
        ChatMessage[] messages = [new(ChatRole.User, new string('x', 400))];
        var options = new ChatOptions { ModelId = "claude-sonnet-4-5" };
        Assert.Equal(ApproximateTokenEstimator.Instance.EstimateInputTokens(messages, options), TiktokenTokenEstimator.Default.EstimateInputTokens(messages, options));
        Assert.Equal(104, TiktokenTokenEstimator.Default.EstimateInputTokens(messages, options));
    }

    [Fact]
    public void EstimateInputTokens_DefaultModel_UsedWhenRequestNamesNone()
    {
        var estimator = new TiktokenTokenEstimator("gpt-4o");
        Assert.Equal(9, estimator.EstimateInputTokens([new ChatMessage(ChatRole.User, "hello world")], null));
    }
}
