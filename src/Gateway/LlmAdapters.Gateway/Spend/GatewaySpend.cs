// Licensed under the MIT License.

using LlmAdapters.Cost;

namespace LlmAdapters.Gateway.Spend;

/// <summary>
/// The spend report of <c>GET /v1/spend</c>, built from the cost ledger the pipeline writes (its hourly totals, with the
/// key as the ledger's caller): the same totals on every gateway replica that shares the ledger (<c>AI:Redis</c>).
/// </summary>
internal static class GatewaySpend
{
    /// <summary>The group name of calls recorded without the dimension (e.g. calls made outside the gateway).</summary>
    public const string None = "(none)";

    /// <summary>Reads the ledger's hours of a period and builds the report, restricted to one key when <paramref name="onlyKey"/> is set.</summary>
    public static async Task<SpendReport> ReportAsync(ICostLedger ledger, DateTimeOffset now, string period, string groupBy, string? onlyKey, CancellationToken cancellationToken)
    {
        var (from, bucket) = period switch
        {
            "day" => (now - TimeSpan.FromDays(1), TimeSpan.FromHours(1)),
            "week" => (now - TimeSpan.FromDays(7), TimeSpan.FromHours(6)),
            _ => (now - TimeSpan.FromDays(30), TimeSpan.FromDays(1)),
        };
        var hours = await ledger.GetHourlyTotalsAsync(from, now, cancellationToken).ConfigureAwait(false);

        // The ledger's hours are whole: the period starts at the hour its first moment falls in.
        var cells = hours.Where(h => onlyKey is null || string.Equals(h.Caller, onlyKey, StringComparison.Ordinal)).ToList();
        Func<CostBucket, string> key = groupBy switch
        {
            "tenant" => c => c.Tenant ?? None,
            "client" => c => c.ClientName ?? None,
            "model" => c => c.ModelId ?? None,
            _ => c => c.Caller ?? None,
        };
        var groups = cells.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new SpendGroup(g.Key, g.Sum(c => c.Total), g.Sum(c => c.Calls), g.Sum(c => c.InputTokens), g.Sum(c => c.OutputTokens)))
            .OrderByDescending(g => g.Cost).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var start = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % bucket.Ticks), TimeSpan.Zero);
        var series = new List<SpendPoint>();
        for (var t = start; t <= now; t += bucket)
        {
            var end = t + bucket;
            var inBucket = cells.Where(c => c.Start >= t && c.Start < end).ToList();
            series.Add(new SpendPoint(
                t,
                inBucket.Sum(c => c.Total),
                inBucket.Sum(c => c.Calls),
                inBucket.GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Total), StringComparer.Ordinal)));
        }

        return new SpendReport(period, groupBy, from, now, cells.Sum(c => c.Total), cells.Sum(c => c.Calls), groups, series);
    }
}
