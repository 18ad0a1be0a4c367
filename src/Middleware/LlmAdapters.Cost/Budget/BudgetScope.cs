// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>Whose spending a <see cref="BudgetLimit"/> counts.</summary>
public enum BudgetScope
{
    /// <summary>Everything a configured client spends.</summary>
    Client,

    /// <summary>What each tenant or user (<see cref="ChatOptionsTenantExtensions.TenantKey"/>) spends, each against its own limit; requests without a tenant share one bucket.</summary>
    Tenant,
}
