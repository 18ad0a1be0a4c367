// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>The answer of <see cref="IBudgetStore.TryReserveAsync"/>: a held reservation, or the refusal with the state that caused it.</summary>
public sealed class BudgetReservation
{
    /// <summary>Gets a value indicating whether the amount was reserved.</summary>
    public required bool IsGranted { get; init; }

    /// <summary>Gets the reservation's id (unique).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the limit.</summary>
    public required BudgetLimit Limit { get; init; }

    /// <summary>Gets the client name or tenant key the limit was applied to.</summary>
    public required string ScopeKey { get; init; }

    /// <summary>Gets the store key of the bucket (limit, scope and period).</summary>
    public required string BucketKey { get; init; }

    /// <summary>Gets the amount requested, in US dollars.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the bucket's state when the decision was made (before this reservation).</summary>
    public required BudgetUsage Usage { get; init; }
}
