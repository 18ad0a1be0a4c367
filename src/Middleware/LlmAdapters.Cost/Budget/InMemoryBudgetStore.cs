// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// An <see cref="IBudgetStore"/> in the memory of one process: every decision is taken under one lock, so concurrent
/// calls never overspend. Daily buckets reset at 00:00 UTC, monthly ones at 00:00 UTC on the first of the month
/// (a new period starts an empty bucket; old buckets are dropped), a rolling window forgets what was settled more than
/// one window ago. Everything is lost when the process stops: a restart starts every budget afresh.
/// </summary>
public sealed class InMemoryBudgetStore : IBudgetStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (BudgetBucketState State, DateTimeOffset? ResetsAt)> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<(BudgetLimit Limit, string ScopeKey), (long Period, string Key, DateTimeOffset? ResetsAt)> _keys = [];
    private readonly TimeProvider _timeProvider;
    private DateTimeOffset _nextSweep;

    /// <summary>Initializes a new instance of the <see cref="InMemoryBudgetStore"/> class.</summary>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryBudgetStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets or sets how long a reservation is held without being settled or released before it is dropped.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public ValueTask<BudgetReservation> TryReserveAsync(BudgetLimit limit, string scopeKey, decimal amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            Sweep(now);
            var (state, resetsAt, key) = GetBucket(limit, scopeKey, now);
            var usage = new BudgetUsage { Spent = state.SpentTotal, Reserved = state.ReservedTotal, ResetsAt = resetsAt };
            var id = Guid.NewGuid().ToString("N");
            var granted = state.TryReserve(id, amount, limit.Amount, now);
            return new(new BudgetReservation { IsGranted = granted, Id = id, Limit = limit, ScopeKey = scopeKey, BucketKey = key, Amount = amount, Usage = usage });
        }
    }

    /// <inheritdoc/>
    public ValueTask SettleAsync(BudgetReservation reservation, decimal actualAmount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_lock)
        {
            if (_buckets.TryGetValue(reservation.BucketKey, out var bucket))
            {
                bucket.State.Settle(reservation.Limit, reservation.Id, actualAmount, _timeProvider.GetUtcNow());
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_lock)
        {
            if (_buckets.TryGetValue(reservation.BucketKey, out var bucket))
            {
                bucket.State.Release(reservation.Id);
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask<BudgetUsage> GetUsageAsync(BudgetLimit limit, string scopeKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var (state, resetsAt, _) = GetBucket(limit, scopeKey, now);
            return new(new BudgetUsage { Spent = state.SpentTotal, Reserved = state.ReservedTotal, ResetsAt = resetsAt });
        }
    }

    private (BudgetBucketState State, DateTimeOffset? ResetsAt, string Key) GetBucket(BudgetLimit limit, string scopeKey, DateTimeOffset now)
    {
        // The key of a (limit, scope) is built once per period, not on every call.
        var period = BudgetBucketState.PeriodStamp(limit, now);
        if (!_keys.TryGetValue((limit, scopeKey), out var cached) || cached.Period != period)
        {
            var (builtKey, builtResetsAt) = BudgetBucketState.Bucket(limit, scopeKey, now);
            _keys[(limit, scopeKey)] = cached = (period, builtKey, builtResetsAt);
        }

        var (_, key, resetsAt) = cached;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            _buckets[key] = bucket = (new BudgetBucketState(), resetsAt);
        }

        bucket.State.Prune(limit, now, ReservationTimeout);
        return (bucket.State, resetsAt, key);
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now.AddMinutes(1);
        _keys.Clear();
        foreach (var key in _buckets.Where(b => b.Value.ResetsAt is { } r && r + ReservationTimeout <= now).Select(b => b.Key).ToList())
        {
            _buckets.Remove(key);
        }
    }
}
