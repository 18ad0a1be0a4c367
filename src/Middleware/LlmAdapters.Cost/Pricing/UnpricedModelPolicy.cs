// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// What a budget does with a model the catalog has no price for (<c>AI:Pricing:UnpricedModels</c>). Without a chosen
/// policy, a budget on a client whose model has no price is a start-up validation error (docs/cost.md, "Unpriced models").
/// </summary>
public enum UnpricedModelPolicy
{
    /// <summary>A budgeted call to an unpriced model is rejected with <see cref="BudgetExceededException"/>.</summary>
    Reject,

    /// <summary>An unpriced model is priced at <see cref="PriceCatalog.EstimatePrice"/>, and its cost is marked <see cref="ChatCost.IsEstimated"/>.</summary>
    Estimate,
}
