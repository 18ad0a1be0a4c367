// Licensed under the MIT License.

namespace LlmAdapters.Gateway.Spend;

/// <summary>
/// The gateway's spend record: every call with its key, tenant, client, model, cost and tokens (the cost is the one the
/// pipeline's cost accounting priced, also recorded in the library's ledger), kept for 31 days in this process, and
/// grouped on demand by key, tenant, client or model over a day, a week or a month, with a time series.
/// </summary>
internal sealed class GatewaySpendLedger(TimeProvider time)
{
    private static readonly TimeSpan s_retention = TimeSpan.FromDays(31);
    private readonly Lock _lock = new();
    private readonly List<GatewaySpendEntry> _entries = [];

    public void Record(GatewaySpendEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
            var oldest = time.GetUtcNow() - s_retention;
            if (_entries.Count > 0 && _entries[0].Timestamp < oldest)
            {
                _entries.RemoveAll(e => e.Timestamp < oldest);
            }
        }
    }

    /// <summary>Builds the report of a period, restricted to one key when <paramref name="onlyKey"/> is set.</summary>
    public SpendReport Report(string period, string groupBy, string? onlyKey)
    {
        var now = time.GetUtcNow();
        var (from, bucket) = period switch
        {
            "day" => (now - TimeSpan.FromDays(1), TimeSpan.FromHours(1)),
            "week" => (now - TimeSpan.FromDays(7), TimeSpan.FromHours(6)),
            _ => (now - TimeSpan.FromDays(30), TimeSpan.FromDays(1)),
        };
        List<GatewaySpendEntry> entries;
        lock (_lock)
        {
            entries = [.. _entries.Where(e => e.Timestamp >= from && (onlyKey is null || e.Key == onlyKey))];
        }

        Func<GatewaySpendEntry, string> key = groupBy switch
        {
            "tenant" => e => e.Tenant,
            "client" => e => e.Client,
            "model" => e => e.Model,
            _ => e => e.Key,
        };
        var groups = entries.GroupBy(key)
            .Select(g => new SpendGroup(g.Key, g.Sum(e => e.Cost), g.Count(), g.Sum(e => e.InputTokens), g.Sum(e => e.OutputTokens)))
            .OrderByDescending(g => g.Cost).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        var start = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % bucket.Ticks), TimeSpan.Zero);
        var series = new List<SpendPoint>();
        for (var t = start; t <= now; t += bucket)
        {
            var end = t + bucket;
            var inBucket = entries.Where(e => e.Timestamp >= t && e.Timestamp < end).ToList();
            series.Add(new SpendPoint(
                t,
                inBucket.Sum(e => e.Cost),
                inBucket.Count,
                inBucket.GroupBy(key).ToDictionary(g => g.Key, g => g.Sum(e => e.Cost), StringComparer.Ordinal)));
        }

        return new SpendReport(period, groupBy, from, now, entries.Sum(e => e.Cost), entries.Count, groups, series);
    }
}
