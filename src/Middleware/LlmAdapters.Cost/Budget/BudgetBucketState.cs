// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json.Serialization;

namespace LlmAdapters.Cost;

/// <summary>The state of one budget bucket, shared by the stores (and serialized by the distributed one).</summary>
internal sealed class BudgetBucketState
{
    /// <summary>Gets or sets the settled total of a calendar period.</summary>
    public decimal Spent { get; set; }

    /// <summary>Gets or sets the settled amounts of a rolling window, with their times.</summary>
    public List<BudgetEntryState> Settled { get; set; } = [];

    /// <summary>Gets or sets the reservations in flight.</summary>
    public List<BudgetEntryState> Reserved { get; set; } = [];

    /// <summary>Gets or sets the stamp of the last write (the distributed store's read-back check).</summary>
    public string? Stamp { get; set; }

    public decimal SpentTotal => Spent + Settled.Sum(e => e.Amount);

    public decimal ReservedTotal => Reserved.Sum(e => e.Amount);

    public static (string Key, DateTimeOffset? ResetsAt) Bucket(BudgetLimit limit, string scopeKey, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var (period, resets) = limit.Period switch
        {
            BudgetPeriod.Daily => (utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), new DateTimeOffset(utc.Date, TimeSpan.Zero).AddDays(1)),
            BudgetPeriod.Monthly => (utc.ToString("yyyy-MM", CultureInfo.InvariantCulture), new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)),
            _ => ("rolling", (DateTimeOffset?)null),
        };
        return (string.Join('|', limit.Name, limit.Scope == BudgetScope.Tenant ? "tenant" : "client", scopeKey, period), resets);
    }

    /// <summary>Drops what the window no longer covers and reservations older than the timeout (a caller that died).</summary>
    public void Prune(BudgetLimit limit, DateTimeOffset now, TimeSpan reservationTimeout)
    {
        if (limit.Period == BudgetPeriod.Rolling && limit.Window is { } window)
        {
            Settled.RemoveAll(e => e.At <= now - window);
        }

        Reserved.RemoveAll(e => e.At <= now - reservationTimeout);
    }

    public bool TryReserve(string id, decimal amount, decimal limit, DateTimeOffset now)
    {
        if (SpentTotal + ReservedTotal + amount > limit)
        {
            return false;
        }

        Reserved.Add(new BudgetEntryState { Id = id, Amount = amount, At = now });
        return true;
    }

    public void Settle(BudgetLimit limit, string id, decimal actual, DateTimeOffset now)
    {
        Reserved.RemoveAll(e => string.Equals(e.Id, id, StringComparison.Ordinal));
        if (limit.Period == BudgetPeriod.Rolling)
        {
            Settled.Add(new BudgetEntryState { Id = id, Amount = actual, At = now });
        }
        else
        {
            Spent += actual;
        }
    }

    public void Release(string id) => Reserved.RemoveAll(e => string.Equals(e.Id, id, StringComparison.Ordinal));
}

/// <summary>One amount of a bucket.</summary>
internal sealed class BudgetEntryState
{
    public string Id { get; set; } = "";

    public decimal Amount { get; set; }

    public DateTimeOffset At { get; set; }
}

[JsonSerializable(typeof(BudgetBucketState))]
internal sealed partial class BudgetJsonContext : JsonSerializerContext;
