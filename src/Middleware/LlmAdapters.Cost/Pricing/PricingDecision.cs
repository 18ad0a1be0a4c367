// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The one pricing decision of a model call, shared by budget settlement, cost accounting and the ledger (docs/cost.md,
/// "One pricing decision per call"): the response's model id when the catalog knows it, else the requested model, else
/// the <see cref="UnpricedModelPolicy.Estimate"/> price; then the row of the service tier the response reported (else the
/// one requested).
/// </summary>
internal static class PricingDecision
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/>, <see cref="ChatResponseUpdate.AdditionalProperties"/> and <see cref="ChatOptions.AdditionalProperties"/> with the service tier (<c>service_tier</c>, as OpenAI and Gemini name it on the wire).</summary>
    public const string ServiceTierKey = "service_tier";

    /// <summary>The providers that run on the caller's own hardware: an unpriced model costs 0 there.</summary>
    public static readonly IReadOnlySet<string> DefaultLocalProviders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ollama", "ollama-openai" };

    private static readonly ModelPrice s_free = new() { ModelId = "(local)", InputPerMillion = 0m, OutputPerMillion = 0m, Source = "local provider: no price configured" };

    /// <summary>Finds the price of a call.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="responseModelId">The model id the response named, if any.</param>
    /// <param name="requestedModelId">The model id the request asked for (the call's, else the client's default), if any.</param>
    /// <param name="local">Whether the provider runs locally (an unpriced model is then free).</param>
    /// <returns>The price row, the model id it was found by and how; <see langword="null"/> when the call cannot be priced.</returns>
    public static (ModelPrice Price, string? ModelId, PricedModelSource Source, bool Estimated)? Decide(PriceCatalog catalog, string? responseModelId, string? requestedModelId, bool local = false)
    {
        if (catalog.GetPrice(responseModelId) is { } byResponse)
        {
            return (byResponse, responseModelId, PricedModelSource.ResponseModel, false);
        }

        if (catalog.GetPrice(requestedModelId) is { } byRequest)
        {
            return (byRequest, requestedModelId, PricedModelSource.RequestedModel, false);
        }

        if (local)
        {
            return (s_free, responseModelId ?? requestedModelId, responseModelId is null ? PricedModelSource.RequestedModel : PricedModelSource.ResponseModel, false);
        }

        if (catalog.UnpricedModels == UnpricedModelPolicy.Estimate && catalog.EstimatePrice is { } estimate)
        {
            return (estimate, responseModelId ?? requestedModelId, PricedModelSource.EstimatePolicy, true);
        }

        return null;
    }

    /// <summary>Prices one call's usage by <see cref="Decide"/> (one <see cref="ChatCost"/> built).</summary>
    /// <returns>The cost, or <see langword="null"/> when there is no usage or no price.</returns>
    public static ChatCost? Price(PriceCatalog catalog, UsageDetails? usage, string? responseModelId, string? requestedModelId, string? serviceTier, bool local = false, bool estimated = false)
    {
        if (usage is null || Decide(catalog, responseModelId, requestedModelId, local) is not { } decision)
        {
            return null;
        }

        var price = decision.Price.ForServiceTier(serviceTier);
        return price.Calculate(
            usage,
            responseModelId ?? requestedModelId ?? price.ModelId,
            ReferenceEquals(decision.Price, s_free) ? null : price.ModelId,
            decision.Source,
            estimated || decision.Estimated);
    }

    /// <summary>Reads the service tier the response reported, else the one the request asked for.</summary>
    public static string? ServiceTier(AdditionalPropertiesDictionary? response, ChatOptions? options) =>
        Read(response) ?? Read(options?.AdditionalProperties);

    /// <summary>Reads a service tier from additional properties.</summary>
    public static string? Read(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(ServiceTierKey, out var value) ? value?.ToString() : null;
}
