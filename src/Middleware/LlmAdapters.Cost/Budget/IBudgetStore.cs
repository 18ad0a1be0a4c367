// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// Holds what each budget bucket (a limit, a scope key and a period) has spent and reserved. Implementations decide
/// atomically whether a reservation fits: <see cref="InMemoryBudgetStore"/> within a process,
/// <see cref="DistributedCacheBudgetStore"/> across processes with the caveats of docs/cost.md.
/// </summary>
public interface IBudgetStore
{
    /// <summary>Reserves an amount if the bucket's spent plus reserved plus the amount does not exceed the limit.</summary>
    /// <param name="limit">The limit.</param>
    /// <param name="scopeKey">The client name or tenant key.</param>
    /// <param name="amount">The amount to reserve, in US dollars.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The reservation, granted or not.</returns>
    ValueTask<BudgetReservation> TryReserveAsync(BudgetLimit limit, string scopeKey, decimal amount, CancellationToken cancellationToken = default);

    /// <summary>Replaces a granted reservation by the real cost.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="actualAmount">The real cost, in US dollars.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask SettleAsync(BudgetReservation reservation, decimal actualAmount, CancellationToken cancellationToken = default);

    /// <summary>Drops a granted reservation without spending anything (the call failed).</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Reads a bucket's current state.</summary>
    /// <param name="limit">The limit.</param>
    /// <param name="scopeKey">The client name or tenant key.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The spent and reserved amounts of the current period.</returns>
    ValueTask<BudgetUsage> GetUsageAsync(BudgetLimit limit, string scopeKey, CancellationToken cancellationToken = default);
}
