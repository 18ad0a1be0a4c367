// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>The period a <see cref="BudgetLimit"/> counts spending over.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day in UTC: resets at 00:00 UTC.</summary>
    Daily,

    /// <summary>A calendar month in UTC: resets at 00:00 UTC on the first day of the month.</summary>
    Monthly,

    /// <summary>A rolling window (<see cref="BudgetLimit.Window"/>): counts what was settled within the last window.</summary>
    Rolling,
}
