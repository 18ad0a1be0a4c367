// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// An <see cref="ICostLedger"/> that keeps running totals in memory, one cell per (client, provider, model, tenant):
/// its size grows with the number of distinct keys, not with the number of calls. Totals cover the life of the
/// instance (or since <see cref="Reset"/>). Thread-safe.
/// </summary>
public sealed class InMemoryCostLedger : ICostLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string? Client, string? Provider, string? Model, string? Tenant), Cell> _cells = [];

    /// <inheritdoc/>
    public void Record(CostEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            var key = (entry.ClientName, entry.Provider, entry.ModelId, entry.Tenant);
            if (!_cells.TryGetValue(key, out var cell))
            {
                _cells[key] = cell = new Cell();
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
                    _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
                }, StringComparer.Ordinal)
                .Select(g => Sum(g.Key, g.Select(c => c.Value)))
                .OrderByDescending(s => s.Total)];
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _cells.Clear();
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

    private sealed class Cell
    {
        public decimal Total { get; set; }

        public long Calls { get; set; }

        public long Unpriced { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }
    }
}
