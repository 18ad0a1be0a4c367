// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Cost;

/// <summary>The cost of a response in US dollars, with its parts. Immutable.</summary>
public sealed class ChatCost
{
    /// <summary>The currency of every amount: US dollars.</summary>
    public const string UsdCurrency = "USD";

    /// <summary>Gets the total cost.</summary>
    public required decimal Total { get; init; }

    /// <summary>Gets the cost of the uncached input tokens.</summary>
    public decimal Input { get; init; }

    /// <summary>Gets the cost of the cached input tokens read.</summary>
    public decimal CachedInput { get; init; }

    /// <summary>Gets the cost of the input tokens written to the cache.</summary>
    public decimal CacheWrite { get; init; }

    /// <summary>Gets the cost of the output tokens that are not reasoning.</summary>
    public decimal Output { get; init; }

    /// <summary>Gets the cost of the reasoning tokens.</summary>
    public decimal Reasoning { get; init; }

    /// <summary>Gets the model id that was priced, as the response named it.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the id of the catalog row whose prices were used (e.g. <c>gpt-4o</c> for <c>gpt-4o-2024-08-06</c>).</summary>
    public string? PricedAs { get; init; }

    /// <summary>Gets which model id the call was priced by: the response's when the catalog knows it, else the requested one.</summary>
    /// <value>The default value is <see cref="PricedModelSource.ResponseModel"/>.</value>
    public PricedModelSource PricedBy { get; init; }

    /// <summary>Gets the service tier whose prices were used (<c>flex</c>, <c>priority</c>, <c>batch</c>), or <see langword="null"/> for standard.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>
    /// Gets a value indicating whether the amount is an estimate of the library rather than a price of provider-reported usage:
    /// a stream cancelled before its usage arrived (tokens counted from the prompt and the text received), or a model priced by
    /// the <c>UnpricedModels: Estimate</c> policy.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsEstimated { get; init; }

    /// <summary>Gets the prompt-size threshold of the tier that applied, or <see langword="null"/> for the base prices.</summary>
    public long? TierAboveInputTokens { get; init; }

    /// <summary>Gets a value indicating whether the response came from a response cache, so the provider was not called and nothing was paid.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsCached { get; init; }

    /// <summary>Gets the cost of a response served from a response cache: $0, marked <see cref="IsCached"/>.</summary>
    /// <param name="modelId">The model the cached response names, if any.</param>
    /// <returns>The cost.</returns>
    public static ChatCost Cached(string? modelId = null) => new() { Total = 0m, ModelId = modelId, IsCached = true };

    /// <summary>Formats an amount of US dollars with the invariant culture: <c>$0.0075</c>, at least two and at most eight decimals.</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>The text.</returns>
    public static string FormatUsd(decimal amount) =>
        (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("0.00######", CultureInfo.InvariantCulture);

    /// <summary>Adds two costs, part by part.</summary>
    /// <param name="other">The other cost.</param>
    /// <returns>The sum; its model and tier are this cost's when both agree, else <see langword="null"/>.</returns>
    public ChatCost Add(ChatCost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ChatCost
        {
            Total = Total + other.Total,
            Input = Input + other.Input,
            CachedInput = CachedInput + other.CachedInput,
            CacheWrite = CacheWrite + other.CacheWrite,
            Output = Output + other.Output,
            Reasoning = Reasoning + other.Reasoning,
            ModelId = string.Equals(ModelId, other.ModelId, StringComparison.OrdinalIgnoreCase) ? ModelId : null,
            PricedAs = string.Equals(PricedAs, other.PricedAs, StringComparison.OrdinalIgnoreCase) ? PricedAs : null,
            TierAboveInputTokens = TierAboveInputTokens == other.TierAboveInputTokens ? TierAboveInputTokens : null,
            PricedBy = (PricedModelSource)Math.Max((int)PricedBy, (int)other.PricedBy),
            ServiceTier = string.Equals(ServiceTier, other.ServiceTier, StringComparison.OrdinalIgnoreCase) ? ServiceTier : null,
            IsEstimated = IsEstimated || other.IsEstimated,
            IsCached = IsCached && other.IsCached,
        };
    }

    /// <summary>Returns the cost in US dollars, e.g. <c>$0.0075</c>, or <c>$0.00 (cached)</c> for a cached response.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsCached ? FormatUsd(Total) + " (cached)" : IsEstimated ? FormatUsd(Total) + " (estimated)" : FormatUsd(Total);
}

