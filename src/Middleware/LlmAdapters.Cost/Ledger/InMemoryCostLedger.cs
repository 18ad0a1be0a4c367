// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// An <see cref="ICostLedger"/> that keeps running totals in memory, one cell per (client, provider, model, tenant,
/// caller), and hourly totals of the last <see cref="Retention"/>: its size grows with the number of distinct keys and
/// hours kept, not with the number of calls. Totals cover the life of the instance (or since <see cref="Reset"/>).
/// Thread-safe.
/// </summary>
public sealed class InMemoryCostLedger : ICostLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Dimensions, Cell> _cells = [];
    private readonly Dictionary<(Dimensions Key, long Hour), Cell> _hours = [];
    private long _prunedAtHour;

    /// <summary>Gets or sets how long hourly totals are kept (the lifetime totals are kept whatever it is).</summary>
    /// <value>The default value is 31 days.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(31);

    /// <inheritdoc/>
    public void Record(CostEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = new Dimensions(entry.ClientName, entry.Provider, entry.ModelId, entry.Tenant, entry.Caller);
        var hour = CostBucket.HourOf(entry.Timestamp).UtcTicks;
        lock (_lock)
        {
            Add(_cells, key, entry);
            Add(_hours, (key, hour), entry);
            if (hour > _prunedAtHour)
            {
                // At most once an hour: forget the hours older than the retention.
                _prunedAtHour = hour;
                var oldest = hour - Retention.Ticks;
                foreach (var old in _hours.Keys.Where(k => k.Hour < oldest).ToList())
                {
                    _hours.Remove(old);
                }
            }
        }
    }

    /// <inheritdoc/>
    public CostSummary GetTotal(string? clientName = null, string? modelId = null, string? tenant = null)
    {
        lock (_lock)
        {
            return Sum(null, _cells.Where(c =>
                (clientName is null || string.Equals(c.Key.Client, clientName, StringComparison.Ordinal)) &&
                (modelId is null || string.Equals(c.Key.Model, modelId, StringComparison.OrdinalIgnoreCase)) &&
                (tenant is null || string.Equals(c.Key.Tenant, tenant, StringComparison.Ordinal))).Select(c => c.Value));
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<CostSummary> GetTotals(CostGrouping grouping)
    {
        lock (_lock)
        {
            return [.. _cells
                .GroupBy(c => grouping switch
                {
                    CostGrouping.Client => c.Key.Client,
                    CostGrouping.Model => c.Key.Model,
                    CostGrouping.Tenant => c.Key.Tenant,
                    CostGrouping.Provider => c.Key.Provider,
                    CostGrouping.Caller => c.Key.Caller,
                    _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
                }, StringComparer.Ordinal)
                .Select(g => Sum(g.Key, g.Select(c => c.Value)))
                .OrderByDescending(s => s.Total)];
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CostBucket>> GetHourlyTotalsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var first = CostBucket.HourOf(since).UtcTicks;
        var last = until.UtcTicks;
        lock (_lock)
        {
            IReadOnlyList<CostBucket> buckets = [.. _hours
                .Where(h => h.Key.Hour >= first && h.Key.Hour <= last)
                .Select(h => new CostBucket
                {
                    Start = new DateTimeOffset(h.Key.Hour, TimeSpan.Zero),
                    ClientName = h.Key.Key.Client,
                    Provider = h.Key.Key.Provider,
                    ModelId = h.Key.Key.Model,
                    Tenant = h.Key.Key.Tenant,
                    Caller = h.Key.Key.Caller,
                    Total = h.Value.Total,
                    Calls = h.Value.Calls,
                    UnpricedCalls = h.Value.Unpriced,
                    InputTokens = h.Value.InputTokens,
                    OutputTokens = h.Value.OutputTokens,
                })];
            return Task.FromResult(buckets);
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _cells.Clear();
            _hours.Clear();
        }
    }

    private static void Add<TKey>(Dictionary<TKey, Cell> cells, TKey key, CostEntry entry)
        where TKey : notnull
    {
        if (!cells.TryGetValue(key, out var cell))
        {
            cells[key] = cell = new Cell();
        }

        cell.Calls++;
        cell.InputTokens += entry.InputTokens;
        cell.OutputTokens += entry.OutputTokens;
        if (entry.Cost is { } cost)
        {
            cell.Total += cost.Total;
        }
        else
        {
            cell.Unpriced++;
        }
    }

    private static CostSummary Sum(string? key, IEnumerable<Cell> cells)
    {
        decimal total = 0;
        long calls = 0, unpriced = 0, input = 0, output = 0;
        foreach (var cell in cells)
        {
            total += cell.Total;
            calls += cell.Calls;
            unpriced += cell.Unpriced;
            input += cell.InputTokens;
            output += cell.OutputTokens;
        }

        return new CostSummary { Key = key, Total = total, Calls = calls, UnpricedCalls = unpriced, InputTokens = input, OutputTokens = output };
    }

    private readonly record struct Dimensions(string? Client, string? Provider, string? Model, string? Tenant, string? Caller);

    private sealed class Cell
    {
        public decimal Total { get; set; }

        public long Calls { get; set; }

        public long Unpriced { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }
    }
}
