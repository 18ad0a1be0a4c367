// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The prices of one model in US dollars per million tokens, with the source they were taken from and the date they
/// were checked. docs/cost.md describes how a <see cref="UsageDetails"/> is priced.
/// </summary>
public sealed class ModelPrice
{
    /// <summary>The key of <see cref="UsageDetails.AdditionalCounts"/> that holds the input tokens written to a provider's prompt cache (Anthropic's <c>cache_creation_input_tokens</c>).</summary>
    public const string CacheWriteTokensKey = "CacheCreationInputTokens";

    /// <summary>The key of <see cref="UsageDetails.AdditionalCounts"/> under which the Anthropic adapter reports all cache-write tokens (<c>cache_creation_input_tokens</c>); read like <see cref="CacheWriteTokensKey"/>.</summary>
    public const string ProviderCacheWriteTokensKey = "cache_creation_input_tokens";

    /// <summary>The key of <see cref="UsageDetails.AdditionalCounts"/> with the cache-write tokens of the 5-minute TTL (Anthropic's <c>cache_creation.ephemeral_5m_input_tokens</c>).</summary>
    public const string CacheWrite5mTokensKey = "cache_creation.ephemeral_5m_input_tokens";

    /// <summary>The key of <see cref="UsageDetails.AdditionalCounts"/> with the cache-write tokens of the 1-hour TTL (Anthropic's <c>cache_creation.ephemeral_1h_input_tokens</c>), priced at <see cref="CacheWrite1hPerMillion"/>.</summary>
    public const string CacheWrite1hTokensKey = "cache_creation.ephemeral_1h_input_tokens";

    private const decimal Million = 1_000_000m;

    /// <summary>Gets the model id the price is for (a family id such as <c>gpt-4o</c> or an exact snapshot id).</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the provider name (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>dashscope</c>, …), or <see langword="null"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the price of one million uncached input tokens.</summary>
    public required decimal InputPerMillion { get; init; }

    /// <summary>Gets the price of one million output tokens.</summary>
    public required decimal OutputPerMillion { get; init; }

    /// <summary>Gets the price of one million cached input tokens read.</summary>
    /// <value>The default value is <see langword="null"/>: cached tokens are billed as uncached input.</value>
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Gets the price of one million input tokens written to the cache.</summary>
    /// <value>The default value is <see langword="null"/>: cache writes are billed as uncached input.</value>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>Gets the price of one million input tokens written to the cache with a 1-hour TTL (Anthropic: 2x input; <see cref="CacheWritePerMillion"/> is the 5-minute rate, 1.25x).</summary>
    /// <value>The default value is <see langword="null"/>: 1-hour writes are billed at <see cref="CacheWritePerMillion"/>.</value>
    public decimal? CacheWrite1hPerMillion { get; init; }

    /// <summary>Gets the service tier these prices are for (<c>flex</c>, <c>priority</c>, <c>batch</c>), or <see langword="null"/> for standard.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ServiceTier { get; init; }

    /// <summary>Gets the prices of the model's other service tiers (each with its <see cref="ServiceTier"/>, source and date).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ModelPrice> ServiceTiers { get; init; } = [];

    /// <summary>Gets the price of one million reasoning tokens, where the provider prices them apart from the reply.</summary>
    /// <value>The default value is <see langword="null"/>: reasoning tokens are billed as output.</value>
    public decimal? ReasoningPerMillion { get; init; }

    /// <summary>
    /// Gets a value indicating whether, when a response used reasoning, all its output tokens are billed at
    /// <see cref="ReasoningPerMillion"/> (DashScope's "thinking mode" output price) rather than only its reasoning tokens.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ReasoningAppliesToAllOutput { get; init; }

    /// <summary>Gets the tiers that replace the base prices above a prompt size, in any order.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ModelPriceTier> Tiers { get; init; } = [];

    /// <summary>Gets the model's largest output, used for a budget's worst case when a request sets no <see cref="ChatOptions.MaxOutputTokens"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets where the prices were taken from.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the date the prices were taken or checked.</summary>
    public DateOnly? EffectiveDate { get; init; }

    /// <summary>Gets the tier that applies to a prompt of the given size, or <see langword="null"/> for the base prices.</summary>
    /// <param name="inputTokens">The prompt's input tokens, cached and cache-write tokens included.</param>
    /// <returns>The tier with the highest threshold below <paramref name="inputTokens"/>, or <see langword="null"/>.</returns>
    public ModelPriceTier? GetTier(long inputTokens)
    {
        ModelPriceTier? best = null;
        foreach (var tier in Tiers)
        {
            if (inputTokens > tier.AboveInputTokens && (best is null || tier.AboveInputTokens > best.AboveInputTokens))
            {
                best = tier;
            }
        }

        return best;
    }

    /// <summary>Gets the prices of a service tier of this model.</summary>
    /// <param name="serviceTier">The tier as the provider names it (<c>flex</c>, <c>priority</c>, <c>SERVICE_TIER_PRIORITY</c>, <c>batch</c>), or <see langword="null"/>, <c>default</c>, <c>standard</c> or <c>auto</c> for standard.</param>
    /// <returns>The tier's row; this one for standard, and when the catalog has no row for the tier.</returns>
    public ModelPrice ForServiceTier(string? serviceTier)
    {
        var tier = NormalizeServiceTier(serviceTier);
        if (tier is null || string.Equals(tier, ServiceTier, StringComparison.OrdinalIgnoreCase))
        {
            return this;
        }

        foreach (var row in ServiceTiers)
        {
            if (string.Equals(row.ServiceTier, tier, StringComparison.OrdinalIgnoreCase))
            {
                return row;
            }
        }

        return this;
    }

    /// <summary>Turns a provider's tier name into the catalog's: <see langword="null"/> for standard, else lower case without a <c>service_tier_</c> prefix.</summary>
    /// <param name="serviceTier">The name.</param>
    /// <returns>The catalog's name, or <see langword="null"/> for standard.</returns>
    public static string? NormalizeServiceTier(string? serviceTier)
    {
        if (string.IsNullOrWhiteSpace(serviceTier))
        {
            return null;
        }

        var tier = serviceTier.Trim().ToLowerInvariant();
        if (tier.StartsWith("service_tier_", StringComparison.Ordinal))
        {
            tier = tier["service_tier_".Length..];
        }

        return tier is "default" or "standard" or "auto" or "unspecified" or "on_demand" ? null : tier;
    }

    /// <summary>Computes the cost of one call's usage.</summary>
    /// <param name="usage">The usage of one call (for a tool loop, the sum: see docs/cost.md).</param>
    /// <returns>The cost.</returns>
    /// <remarks>
    /// <see cref="UsageDetails.InputTokenCount"/> includes the cached tokens (<see cref="UsageDetails.CachedInputTokenCount"/>)
    /// and the cache-write tokens (<see cref="CacheWriteTokensKey"/>); a subset larger than the total is clamped to it.
    /// <see cref="UsageDetails.OutputTokenCount"/> includes <see cref="UsageDetails.ReasoningTokenCount"/> unless
    /// <see cref="UsageDetails.TotalTokenCount"/> equals input + output + reasoning, the shape of an adapter that reports
    /// Gemini's thoughts apart from its candidates.
    /// </remarks>
    public ChatCost Calculate(UsageDetails usage) => Calculate(usage, ModelId, pricedAs: null);

    /// <summary>Computes the cost of one call's usage, named after the model as requested or returned and the price row it was priced as: one <see cref="ChatCost"/>, not a second copy.</summary>
    internal ChatCost Calculate(UsageDetails usage, string modelId, string? pricedAs, PricedModelSource pricedBy = PricedModelSource.ResponseModel, bool estimated = false)
    {
        ArgumentNullException.ThrowIfNull(usage);
        long input = Math.Max(0, usage.InputTokenCount ?? 0);
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input);
        var (written, written1h) = CacheWrites(usage, input - cached);

        long uncached = input - cached - written;
        long output = Math.Max(0, usage.OutputTokenCount ?? 0);
        long reasoning = Math.Max(0, usage.ReasoningTokenCount ?? 0);
        bool reasoningApart = reasoning > 0 && usage.TotalTokenCount is { } total && total == input + output + reasoning;
        if (!reasoningApart)
        {
            reasoning = Math.Min(reasoning, output);
            output -= reasoning;
        }

        var tier = GetTier(input);
        decimal inputRate = tier?.InputPerMillion ?? InputPerMillion;
        decimal outputRate = tier?.OutputPerMillion ?? OutputPerMillion;
        decimal cachedRate = tier?.CachedInputPerMillion ?? CachedInputPerMillion ?? inputRate;
        decimal writeRate = tier?.CacheWritePerMillion ?? CacheWritePerMillion ?? inputRate;
        decimal reasoningRate = tier?.ReasoningPerMillion ?? ReasoningPerMillion ?? outputRate;
        if (ReasoningAppliesToAllOutput && reasoning > 0)
        {
            outputRate = reasoningRate;
        }

        var inputCost = uncached * inputRate / Million;
        var cachedCost = cached * cachedRate / Million;
        decimal write1hRate = CacheWrite1hPerMillion ?? writeRate;
        var writeCost = ((written - written1h) * writeRate / Million) + (written1h * write1hRate / Million);
        var outputCost = output * outputRate / Million;
        var reasoningCost = reasoning * reasoningRate / Million;
        return new ChatCost
        {
            Total = inputCost + cachedCost + writeCost + outputCost + reasoningCost,
            Input = inputCost,
            CachedInput = cachedCost,
            CacheWrite = writeCost,
            Output = outputCost,
            Reasoning = reasoningCost,
            ModelId = modelId,
            PricedAs = pricedAs,
            TierAboveInputTokens = tier?.AboveInputTokens,
            ServiceTier = ServiceTier,
            PricedBy = pricedBy,
            IsEstimated = estimated,
        };
    }

    // All cache writes (the adapter's total, else the library's key, else the sum of the TTL split) and the 1-hour part of them.
    private static (long Written, long Written1h) CacheWrites(UsageDetails usage, long limit)
    {
        if (usage.AdditionalCounts is not { } counts)
        {
            return (0, 0);
        }

        counts.TryGetValue(CacheWrite5mTokensKey, out var fiveMinutes);
        counts.TryGetValue(CacheWrite1hTokensKey, out var oneHour);
        long written = counts.TryGetValue(ProviderCacheWriteTokensKey, out var w) ? w
            : counts.TryGetValue(CacheWriteTokensKey, out w) ? w
            : Math.Max(0, fiveMinutes) + Math.Max(0, oneHour);
        written = Math.Clamp(written, 0, Math.Max(0, limit));
        return (written, Math.Clamp(oneHour, 0, written));
    }

    /// <summary>
    /// Computes the most a call can cost: every input token at the dearest input price (uncached or cache write) and
    /// every output token at the dearest output price (reply or reasoning), in the tier of <paramref name="inputTokens"/>.
    /// </summary>
    /// <param name="inputTokens">The estimated input tokens.</param>
    /// <param name="maxOutputTokens">The most output tokens the call may produce.</param>
    /// <returns>The worst-case cost in US dollars.</returns>
    public decimal CalculateWorstCase(long inputTokens, long maxOutputTokens)
    {
        inputTokens = Math.Max(0, inputTokens);
        maxOutputTokens = Math.Max(0, maxOutputTokens);
        var tier = GetTier(inputTokens);
        decimal inputRate = tier?.InputPerMillion ?? InputPerMillion;
        decimal writeRate = tier?.CacheWritePerMillion ?? CacheWritePerMillion ?? inputRate;
        decimal write1hRate = CacheWrite1hPerMillion ?? writeRate;
        decimal outputRate = tier?.OutputPerMillion ?? OutputPerMillion;
        decimal reasoningRate = tier?.ReasoningPerMillion ?? ReasoningPerMillion ?? outputRate;
        return (inputTokens * Math.Max(inputRate, Math.Max(writeRate, write1hRate)) / Million) + (maxOutputTokens * Math.Max(outputRate, reasoningRate) / Million);
    }

    /// <inheritdoc/>
    public override string ToString() => ServiceTier is null
        ? string.Create(CultureInfo.InvariantCulture, $"{ModelId}: input {InputPerMillion}, output {OutputPerMillion} USD per 1M tokens")
        : string.Create(CultureInfo.InvariantCulture, $"{ModelId} ({ServiceTier}): input {InputPerMillion}, output {OutputPerMillion} USD per 1M tokens");
}
