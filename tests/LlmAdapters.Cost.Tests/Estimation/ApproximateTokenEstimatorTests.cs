// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

/// <summary>
/// The heuristic Cost estimates with when the tokenizer package is absent (Core's <see cref="ApproximateTokenEstimator"/>):
/// four characters per token, but one per CJK character, which tokenizers split about one per token (the DashScope
/// fixtures were billed 23 tokens for a prompt the four-characters rule put at 13).
/// </summary>
public sealed class ApproximateTokenEstimatorTests
{
    [Fact]
    public void Latin_FourCharactersPerToken_PlusFramingPerMessage()
    {
        var tokens = ApproximateTokenEstimator.Instance.EstimateInputTokens([new ChatMessage(ChatRole.User, new string('x', 40))], null);

        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 10, tokens);
    }

    [Fact]
    public void Cjk_OneTokenPerCharacter_MixedTextCountsEachPartByItsRule()
    {
        var chinese = ApproximateTokenEstimator.Instance.EstimateInputTokens([new ChatMessage(ChatRole.User, "你是什么东西？")], null);
        var japanese = ApproximateTokenEstimator.Instance.EstimateInputTokens([new ChatMessage(ChatRole.User, "こんにちは")], null);
        var korean = ApproximateTokenEstimator.Instance.EstimateInputTokens([new ChatMessage(ChatRole.User, "안녕하세요")], null);
        var mixed = ApproximateTokenEstimator.Instance.EstimateInputTokens(
            [new ChatMessage(ChatRole.User, "Translate 你好")], new ChatOptions { Instructions = "Be brief.東京" });

        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 7, chinese);
        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 5, japanese);
        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 5, korean);

        // "Translate " and "Be brief." are 19 characters (5 tokens); 你好 and 東京 are 4.
        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 5 + 4, mixed);
    }
}
