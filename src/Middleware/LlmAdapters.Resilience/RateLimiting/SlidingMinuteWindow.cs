// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// A sliding one-minute window of reservations (requests, or tokens) whose sizes can be corrected after the call, with a
/// bounded queue of waiters, on a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Why not System.Threading.RateLimiting's sliding window or token bucket: they cannot give tokens back when the real usage is
/// below the estimate, and they read <see cref="System.Diagnostics.Stopwatch"/> even when replenished by hand, so a fake clock
/// cannot drive them (docs/middleware.md).
/// </remarks>
internal sealed class SlidingMinuteWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly LinkedList<Reservation> _entries = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _queueLimit;
    private int _waiters;

    public SlidingMinuteWindow(int limit, int queueLimit, TimeProvider timeProvider)
    {
        Limit = limit;
        _queueLimit = queueLimit;
        _timeProvider = timeProvider;
    }

    public int Limit { get; }

    /// <summary>Gets the tokens counted in the current window.</summary>
    public int Used
    {
        get
        {
            lock (_lock)
            {
                Prune(_timeProvider.GetUtcNow());
                return Sum();
            }
        }
    }

    /// <summary>Reserves tokens, waiting until the window has room.</summary>
    /// <param name="tokens">The tokens to reserve; a request larger than the limit waits for an empty window.</param>
    /// <param name="reject">Builds the exception thrown when the queue is full, from the wait that would be needed.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The reservation.</returns>
    public async ValueTask<Reservation> AcquireAsync(int tokens, Func<TimeSpan, Exception> reject, CancellationToken cancellationToken)
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
                    Prune(now);
                    var used = Sum();
                    if (used + tokens <= Limit)
                    {
                        var reservation = new Reservation(now, tokens);
                        _entries.AddLast(reservation);
                        return reservation;
                    }

                    wait = TimeUntilRoom(now, used, tokens);
                    if (!queued)
                    {
                        if (_waiters >= _queueLimit)
                        {
                            throw reject(wait);
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

    /// <summary>Replaces a reservation's estimate with the real count.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="tokens">The tokens really used.</param>
    public void Reconcile(Reservation reservation, int tokens)
    {
        lock (_lock)
        {
            reservation.Tokens = Math.Max(0, tokens);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_entries.First is { } first && first.Value.At + Window <= now)
        {
            _entries.RemoveFirst();
        }
    }

    private int Sum()
    {
        long sum = 0;
        foreach (var entry in _entries)
        {
            sum += entry.Tokens;
        }

        return (int)Math.Min(sum, int.MaxValue);
    }

    private TimeSpan TimeUntilRoom(DateTimeOffset now, int used, int tokens)
    {
        long freed = 0;
        foreach (var entry in _entries)
        {
            freed += entry.Tokens;
            if (used - freed + tokens <= Limit)
            {
                return entry.At + Window - now;
            }
        }

        // Only queued callers ahead of this one stand in the way: look again shortly.
        return TimeSpan.FromMilliseconds(100);
    }

    /// <summary>Tokens counted from a moment.</summary>
    internal sealed class Reservation(DateTimeOffset at, int tokens)
    {
        public DateTimeOffset At { get; } = at;

        public int Tokens { get; set; } = tokens;
    }
}
