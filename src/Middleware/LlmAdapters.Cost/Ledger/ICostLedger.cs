// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// Where cost accounting records the cost of every call, for the host to query: totals overall and by client, model,
/// provider, tenant or caller, and (where the ledger keeps them) totals per hour. Implementations must be thread-safe.
/// </summary>
public interface ICostLedger
{
    /// <summary>Records one call.</summary>
    /// <param name="entry">The entry.</param>
    void Record(CostEntry entry);

    /// <summary>Gets the totals of the entries that match every given filter.</summary>
    /// <param name="clientName">Only this client, or <see langword="null"/> for all.</param>
    /// <param name="modelId">Only this model, or <see langword="null"/> for all.</param>
    /// <param name="tenant">Only this tenant, or <see langword="null"/> for all.</param>
    /// <returns>The totals.</returns>
    CostSummary GetTotal(string? clientName = null, string? modelId = null, string? tenant = null);

    /// <summary>Gets the totals grouped by a key, largest first.</summary>
    /// <param name="grouping">The key to group by.</param>
    /// <returns>One summary per key.</returns>
    IReadOnlyList<CostSummary> GetTotals(CostGrouping grouping);

    /// <summary>
    /// Gets the totals per UTC hour and (client, provider, model, tenant, caller) of the hours that start in
    /// [<paramref name="since"/>'s hour, <paramref name="until"/>]: what a spend report over a day, a week or a month reads.
    /// </summary>
    /// <param name="since">The earliest moment (its whole hour is included).</param>
    /// <param name="until">The latest moment.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The hourly buckets, in no particular order.</returns>
    /// <exception cref="NotSupportedException">The ledger keeps no hourly totals (the default).</exception>
    Task<IReadOnlyList<CostBucket>> GetHourlyTotalsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} keeps no hourly totals.");
}
