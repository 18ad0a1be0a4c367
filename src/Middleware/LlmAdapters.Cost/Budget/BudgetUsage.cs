// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>What a budget bucket holds at one moment.</summary>
public sealed class BudgetUsage
{
    /// <summary>Gets the amount settled in the current period, in US dollars.</summary>
    public required decimal Spent { get; init; }

    /// <summary>Gets the amount reserved by calls in flight, in US dollars.</summary>
    public required decimal Reserved { get; init; }

    /// <summary>Gets when the period resets, or <see langword="null"/> for a rolling window.</summary>
    public DateTimeOffset? ResetsAt { get; init; }
}
