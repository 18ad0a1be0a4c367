// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>Which model id a call was priced by (docs/cost.md, "One pricing decision per call").</summary>
public enum PricedModelSource
{
    /// <summary>The model id the response named: the catalog knows it.</summary>
    ResponseModel,

    /// <summary>The model id the request asked for (the call's <c>ModelId</c>, else the client's default): the catalog does not know the response's.</summary>
    RequestedModel,

    /// <summary>Neither is in the catalog: the call was priced by the <c>UnpricedModels: Estimate</c> price.</summary>
    EstimatePolicy,
}
