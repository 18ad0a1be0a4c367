// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>
/// Prices a call on a model before it is sent: the seam through which the lowest-cost routing of the resilience
/// middleware reads the price catalog of the cost middleware without depending on it (LlmAdapters.Cost's
/// <c>PriceCatalog</c> implements it; a configured host registers it).
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IModelPriceLookup
{
    /// <summary>Estimates the cost of a call in US dollars.</summary>
    /// <param name="modelId">The model that would serve the call.</param>
    /// <param name="inputTokens">The estimated input tokens.</param>
    /// <param name="outputTokens">The estimated output tokens.</param>
    /// <returns>The cost, or <see langword="null"/> when the model has no price (unknown, never zero).</returns>
    decimal? EstimateCost(string? modelId, long inputTokens, long outputTokens);
}
