// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>How <see cref="ICostLedger.GetTotals"/> groups its entries.</summary>
public enum CostGrouping
{
    /// <summary>By configured client name.</summary>
    Client,

    /// <summary>By model id.</summary>
    Model,

    /// <summary>By tenant or user key.</summary>
    Tenant,

    /// <summary>By provider name.</summary>
    Provider,

    /// <summary>By caller (<see cref="CostEntry.Caller"/>, e.g. the gateway's virtual key).</summary>
    Caller,
}
