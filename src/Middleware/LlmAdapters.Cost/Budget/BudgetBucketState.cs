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

    // Loops, not LINQ: Sum with a selector boxes the list's enumerator on every call, and these run on every reservation.
    public decimal SpentTotal => Spent + Total(Settled);

    public decimal ReservedTotal => Total(Reserved);

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

    /// <summary>Gets a number that changes exactly when <see cref="Bucket"/>'s period changes, without building the key.</summary>
    public static long PeriodStamp(BudgetLimit limit, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return limit.Period switch
        {
            BudgetPeriod.Daily => utc.Date.Ticks,
            BudgetPeriod.Monthly => (utc.Year * 12L) + utc.Month,
            _ => 0,
        };
    }

    /// <summary>Drops what the window no longer covers and reservations older than the timeout (a caller that died).</summary>
    public void Prune(BudgetLimit limit, DateTimeOffset now, TimeSpan reservationTimeout)
    {
        if (limit.Period == BudgetPeriod.Rolling && limit.Window is { } window)
        {
            RemoveOlder(Settled, now - window);
        }

        RemoveOlder(Reserved, now - reservationTimeout);
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
        RemoveId(Reserved, id);
        if (limit.Period == BudgetPeriod.Rolling)
        {
            Settled.Add(new BudgetEntryState { Id = id, Amount = actual, At = now });
        }
        else
        {
            Spent += actual;
        }
    }

    public void Release(string id) => RemoveId(Reserved, id);

    private static decimal Total(List<BudgetEntryState> entries)
    {
        var total = 0m;
        for (var i = 0; i < entries.Count; i++)
        {
            total += entries[i].Amount;
        }

        return total;
    }

    // In place, without the closure and delegate a RemoveAll lambda capturing its argument allocates on every call.
    private static void RemoveOlder(List<BudgetEntryState> entries, DateTimeOffset cutoff)
    {
        var kept = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].At > cutoff)
            {
                entries[kept++] = entries[i];
            }
        }

        entries.RemoveRange(kept, entries.Count - kept);
    }

    private static void RemoveId(List<BudgetEntryState> entries, string id)
    {
        var kept = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (!string.Equals(entries[i].Id, id, StringComparison.Ordinal))
            {
                entries[kept++] = entries[i];
            }
        }

        entries.RemoveRange(kept, entries.Count - kept);
    }
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
