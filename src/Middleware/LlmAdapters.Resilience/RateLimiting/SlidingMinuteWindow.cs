// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// A sliding one-minute window of reservations (requests, or tokens) whose sizes can be corrected after the call, with a
/// bounded queue of waiters, on a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why not System.Threading.RateLimiting's sliding window or token bucket: they cannot give tokens back when the real usage is
/// below the estimate, and they read <see cref="System.Diagnostics.Stopwatch"/> even when replenished by hand, so a fake clock
/// cannot drive them (docs/middleware.md).
/// </para>
/// <para>
/// Cost: O(1) per call, whatever the request rate. Reservations are counted in a fixed ring of 100 ms buckets with a running
/// total, so neither the time of a call nor the memory depends on how many requests ran in the last minute
/// (docs/performance.md). A bucket leaves the window one minute after the <em>last</em> reservation it holds: a lone
/// reservation leaves exactly one minute after it was made, as before; reservations made close together leave together, up to
/// 100 ms late, never early, so the limit holds over every real minute.
/// </para>
/// </remarks>
internal sealed class SlidingMinuteWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The width of a bucket, in ticks: 100 ms.</summary>
    private const long BucketTicks = 100 * TimeSpan.TicksPerMillisecond;

    // One more bucket than the window holds: a bucket's slot is reused only after its last reservation has left the window.
    private const int BucketCount = (int)(TimeSpan.TicksPerMinute / BucketTicks) + 1;

    private readonly Lock _lock = new();
    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly TimeProvider _timeProvider;
    private readonly int _queueLimit;
    private long _oldest = long.MinValue;
    private long _total;
    private int _waiters;

    public SlidingMinuteWindow(int limit, int queueLimit, TimeProvider timeProvider)
    {
        Limit = limit;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i].Index = long.MinValue;
        }
    }

    public int Limit { get; }

    /// <summary>Gets the tokens counted in the current window.</summary>
    public int Used
    {
        get
        {
            lock (_lock)
            {
                var now = _timeProvider.GetUtcNow();
                Prune(now, IndexOf(now));
                return Clamp(_total);
            }
        }
    }

    /// <summary>Reserves tokens, waiting until the window has room.</summary>
    /// <param name="tokens">The tokens to reserve; a request larger than the limit waits for an empty window.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The reservation, or a rejection with the wait that would be needed when the queue is full.</returns>
    public async ValueTask<Reservation> AcquireAsync(int tokens, CancellationToken cancellationToken)
    {
        tokens = Math.Clamp(tokens, 0, Limit);
        var queued = false;
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    var now = _timeProvider.GetUtcNow();
                    var index = IndexOf(now);
                    Prune(now, index);
                    if (_total + tokens <= Limit)
                    {
                        ref var bucket = ref _buckets[Slot(index)];
                        if (bucket.Index != index)
                        {
                            bucket = new Bucket { Index = index };
                            if (_oldest == long.MinValue)
                            {
                                _oldest = index;
                            }
                        }

                        bucket.Tokens += tokens;
                        bucket.Last = now;
                        _total += tokens;
                        return new Reservation(index, tokens, RetryAfter: null);
                    }

                    wait = TimeUntilRoom(now, index, tokens);
                    if (!queued)
                    {
                        if (_waiters >= _queueLimit)
                        {
                            return new Reservation(long.MinValue, 0, wait);
                        }

                        _waiters++;
                        queued = true;
                    }
                }

                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (queued)
            {
                lock (_lock)
                {
                    _waiters--;
                }
            }
        }
    }

    /// <summary>Replaces a reservation's estimate with the real count; a reservation that has left the window counts no more.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="tokens">The tokens really used.</param>
    /// <returns>The reservation as corrected, to reconcile again from.</returns>
    public Reservation Reconcile(Reservation reservation, int tokens)
    {
        tokens = Math.Max(0, tokens);
        lock (_lock)
        {
            ref var bucket = ref _buckets[Slot(reservation.Bucket)];
            if (bucket.Index == reservation.Bucket && reservation.Bucket >= _oldest)
            {
                var delta = (long)tokens - reservation.Tokens;
                bucket.Tokens += delta;
                _total += delta;
            }
        }

        return reservation with { Tokens = tokens };
    }

    private static long IndexOf(DateTimeOffset now) => now.UtcTicks / BucketTicks;

    private static int Slot(long index) => (int)(((index % BucketCount) + BucketCount) % BucketCount);

    private static int Clamp(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    /// <summary>Drops the buckets whose last reservation is a minute old: amortized O(1), at most one pass over the ring.</summary>
    private void Prune(DateTimeOffset now, long current)
    {
        if (_oldest == long.MinValue)
        {
            return;
        }

        // Every bucket older than the ring is expired: skip the empty stretch after a long pause in one step.
        if (current - _oldest >= BucketCount)
        {
            var firstLive = current - BucketCount + 1;
            for (var i = 0; i < _buckets.Length; i++)
            {
                if (_buckets[i].Index != long.MinValue && _buckets[i].Index < firstLive)
                {
                    _total -= _buckets[i].Tokens;
                    _buckets[i] = new Bucket { Index = long.MinValue };
                }
            }

            _oldest = firstLive;
        }

        while (_oldest <= current)
        {
            ref var bucket = ref _buckets[Slot(_oldest)];
            if (bucket.Index == _oldest)
            {
                if (bucket.Last + Window > now)
                {
                    return;
                }

                _total -= bucket.Tokens;
                bucket = new Bucket { Index = long.MinValue };
            }

            _oldest++;
        }

        // The window is empty.
        _oldest = long.MinValue;
    }

    /// <summary>The wait until the oldest buckets free room for the tokens (only on the slow path, at most one pass over the ring).</summary>
    private TimeSpan TimeUntilRoom(DateTimeOffset now, long current, int tokens)
    {
        if (_oldest != long.MinValue)
        {
            long freed = 0;
            for (var index = _oldest; index <= current; index++)
            {
                ref var bucket = ref _buckets[Slot(index)];
                if (bucket.Index != index)
                {
                    continue;
                }

                freed += bucket.Tokens;
                if (_total - freed + tokens <= Limit)
                {
                    return bucket.Last + Window - now;
                }
            }
        }

        // Only queued callers ahead of this one stand in the way: look again shortly.
        return TimeSpan.FromMilliseconds(100);
    }

    /// <summary>Tokens counted in one bucket of the window.</summary>
    /// <param name="Bucket">The bucket the tokens were counted in.</param>
    /// <param name="Tokens">The tokens counted.</param>
    /// <param name="RetryAfter">When the queue was full: the wait that would have been needed; otherwise <see langword="null"/>.</param>
    internal readonly record struct Reservation(long Bucket, int Tokens, TimeSpan? RetryAfter)
    {
        /// <summary>Gets whether the queue was full and nothing was reserved.</summary>
        public bool IsRejected => RetryAfter is not null;
    }

    private struct Bucket
    {
        public long Index;
        public long Tokens;
        public DateTimeOffset Last;
    }
}
