// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// The prices of a model that apply when a request's prompt is larger than <see cref="AboveInputTokens"/>: Gemini's and
/// Anthropic's long-context tiers, Qwen's context-size tiers, GPT-5.4's tier above 272K tokens. A tier replaces the
/// base prices for the whole request (input, cached input, cache writes, output and reasoning alike).
/// </summary>
/// <remarks>A price left <see langword="null"/> falls back to the base price of the same kind.</remarks>
public sealed class ModelPriceTier
{
    /// <summary>Gets the prompt size (input tokens, cached and cache-write tokens included) above which the tier applies.</summary>
    public required long AboveInputTokens { get; init; }

    /// <summary>Gets the price of one million uncached input tokens, or <see langword="null"/> for the base price.</summary>
    public decimal? InputPerMillion { get; init; }

    /// <summary>Gets the price of one million output tokens, or <see langword="null"/> for the base price.</summary>
    public decimal? OutputPerMillion { get; init; }

    /// <summary>Gets the price of one million cached input tokens read, or <see langword="null"/> for the base price.</summary>
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Gets the price of one million input tokens written to the cache, or <see langword="null"/> for the base price.</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>Gets the price of one million reasoning tokens, or <see langword="null"/> for the base price.</summary>
    public decimal? ReasoningPerMillion { get; init; }
}
