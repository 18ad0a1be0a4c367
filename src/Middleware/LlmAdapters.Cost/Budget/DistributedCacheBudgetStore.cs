// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmAdapters.Cost;

/// <summary>
/// An <see cref="IBudgetStore"/> over <see cref="IDistributedCache"/> (Redis, SQL Server, …), so that several processes
/// share budgets. Each bucket is one JSON entry that expires after its period (or window) ends.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IDistributedCache"/> has no atomic increment or compare-and-swap. Within one process, every change to a
/// bucket is serialized by a lock, so concurrent calls in one process never overspend. Across processes the store
/// reads, changes and writes the entry, then reads it back and redoes the change if another writer's stamp replaced
/// its own: this catches most collisions but not all (a write that lands after the read-back is lost), so two processes
/// reserving at the same instant can overspend by up to one reservation each. Where that matters, implement
/// <see cref="IBudgetStore"/> over a store with atomic operations (Redis <c>INCRBYFLOAT</c> or a Lua script, a SQL row lock).
/// </para>
/// </remarks>
public sealed class DistributedCacheBudgetStore : IBudgetStore
{
    private const int MaxAttempts = 5;
    private readonly IDistributedCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="DistributedCacheBudgetStore"/> class.</summary>
    /// <param name="cache">The cache.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="keyPrefix">The prefix of every cache key.</param>
    public DistributedCacheBudgetStore(IDistributedCache cache, TimeProvider? timeProvider = null, string keyPrefix = "llmadapters:budget:")
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _prefix = keyPrefix ?? throw new ArgumentNullException(nameof(keyPrefix));
    }

    /// <summary>Gets or sets how long a reservation is held without being settled or released before it is dropped (a process that died).</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public async ValueTask<BudgetReservation> TryReserveAsync(BudgetLimit limit, string scopeKey, decimal amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        var now = _timeProvider.GetUtcNow();
        var (key, resetsAt) = BudgetBucketState.Bucket(limit, scopeKey, now);
        var id = Guid.NewGuid().ToString("N");
        BudgetUsage? usage = null;
        var granted = await UpdateAsync(limit, key, resetsAt, state =>
        {
            usage = new BudgetUsage { Spent = state.SpentTotal, Reserved = state.ReservedTotal, ResetsAt = resetsAt };
            return state.TryReserve(id, amount, limit.Amount, now);
        }, cancellationToken).ConfigureAwait(false);
        return new BudgetReservation { IsGranted = granted, Id = id, Limit = limit, ScopeKey = scopeKey, BucketKey = key, Amount = amount, Usage = usage! };
    }

    /// <inheritdoc/>
    public async ValueTask SettleAsync(BudgetReservation reservation, decimal actualAmount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var now = _timeProvider.GetUtcNow();
        await UpdateAsync(reservation.Limit, reservation.BucketKey, reservation.Usage.ResetsAt, state =>
        {
            state.Settle(reservation.Limit, reservation.Id, actualAmount, now);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await UpdateAsync(reservation.Limit, reservation.BucketKey, reservation.Usage.ResetsAt, state =>
        {
            state.Release(reservation.Id);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetLimit limit, string scopeKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        var now = _timeProvider.GetUtcNow();
        var (key, resetsAt) = BudgetBucketState.Bucket(limit, scopeKey, now);
        var state = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        state.Prune(limit, now, ReservationTimeout);
        return new BudgetUsage { Spent = state.SpentTotal, Reserved = state.ReservedTotal, ResetsAt = resetsAt };
    }

    private async Task<bool> UpdateAsync(BudgetLimit limit, string key, DateTimeOffset? resetsAt, Func<BudgetBucketState, bool> change, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var now = _timeProvider.GetUtcNow();
                var state = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
                state.Prune(limit, now, ReservationTimeout);
                if (!change(state))
                {
                    return false;
                }

                var stamp = Guid.NewGuid().ToString("N");
                state.Stamp = stamp;
                var expires = (resetsAt ?? now + (limit.Window ?? TimeSpan.Zero)) + ReservationTimeout;
                await _cache.SetAsync(
                    _prefix + key,
                    JsonSerializer.SerializeToUtf8Bytes(state, BudgetJsonContext.Default.BudgetBucketState),
                    new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = expires - now },
                    cancellationToken).ConfigureAwait(false);

                var check = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
                if (string.Equals(check.Stamp, stamp, StringComparison.Ordinal) || attempt == MaxAttempts)
                {
                    return true;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<BudgetBucketState> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await _cache.GetAsync(_prefix + key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? new BudgetBucketState() : JsonSerializer.Deserialize(bytes, BudgetJsonContext.Default.BudgetBucketState) ?? new BudgetBucketState();
    }
}
