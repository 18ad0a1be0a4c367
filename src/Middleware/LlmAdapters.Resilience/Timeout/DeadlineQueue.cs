// Licensed under the MIT License.

using System.Collections.Concurrent;

namespace LlmAdapters.Resilience;

/// <summary>
/// The deadlines of every call of one timeout client that runs with one configured limit: one timer for all of them instead
/// of one per call. The limit is the same for every call, so deadlines arrive in the order they fall due and a FIFO queue
/// holds them sorted; the timer is armed for the oldest, and when it fires it expires every due entry whose call is still
/// running (an entry of a call that ended is skipped: its source's ticket moved on) and re-arms for the next.
/// </summary>
/// <remarks>
/// Exact on a quiet client (an entry added to an empty queue arms the timer for its own deadline). When deadlines fall due
/// closer together than <see cref="Resolution"/> (a thousandth of the limit, between 1 ms and 100 ms), one firing serves
/// them all, so that a busy client wakes its timer at most once per <see cref="Resolution"/>: an expiry may then be late by
/// up to that much. Adding an entry takes no lock and, once the queue has grown to the client's rate, allocates nothing:
/// an entry stays until its deadline (the queue's circular segments are reused), so the queue holds about 32 B for each call
/// started within the last limit (30,000 entries, about 1 MB, at 100 calls a second with a 5-minute limit).
/// </remarks>
internal sealed class DeadlineQueue : IDisposable
{
    /// <summary>The scope of the whole limit (a call or an attempt).</summary>
    public const int TotalScope = 1;

    /// <summary>The scope of a stream's first update.</summary>
    public const int FirstUpdateScope = 2;

    private static readonly TimerCallback s_onTimer = static state => ((DeadlineQueue)state!).OnTimer();

    private readonly ConcurrentQueue<Entry> _entries = new();

    // The oldest entry, taken out of the queue but not yet due. Never peeked in place: a peek makes ConcurrentQueue keep every
    // segment it has seen instead of reusing it, so that the queue would allocate new (and ever larger) segments for good.
    private Entry _head;
    private bool _hasHead;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly long _limitTimestamp;
    private readonly int _scope;
    private int _armed;

    /// <summary>Initializes a new instance of the <see cref="DeadlineQueue"/> class.</summary>
    /// <param name="limit">The limit of every call (positive, finite).</param>
    /// <param name="scope">What expires: <see cref="TotalScope"/> or <see cref="FirstUpdateScope"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    public DeadlineQueue(TimeSpan limit, int scope, TimeProvider timeProvider)
    {
        Limit = limit;
        _scope = scope;
        _timeProvider = timeProvider;
        _limitTimestamp = (long)(limit.TotalSeconds * timeProvider.TimestampFrequency);
        Resolution = TimeSpan.FromTicks(Math.Clamp(limit.Ticks / 1000, TimeSpan.TicksPerMillisecond, 100 * TimeSpan.TicksPerMillisecond));

        // The timer belongs to the client, not to the call that happens to create it: no ambient state flows into it.
        using (ExecutionContext.SuppressFlow())
        {
            _timer = timeProvider.CreateTimer(s_onTimer, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Gets the limit of every call of this queue.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Gets how close together deadlines are served by one firing of the timer.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>Adds the deadline of a call that started at <paramref name="startedAt"/> (a timestamp of the queue's clock).</summary>
    public void Add(DeadlineSource source, long ticket, long startedAt)
    {
        _entries.Enqueue(new Entry(source, ticket, startedAt + _limitTimestamp));
        if (Volatile.Read(ref _armed) == 0 && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            // The queue was idle (no timer pending): this entry, or one added at the same moment, is the oldest.
            Serve(fromTimer: false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private void OnTimer() => Serve(fromTimer: true);

    /// <summary>
    /// Expires every due entry and arms the timer for the oldest one left, or leaves the queue idle. Runs in one place at a
    /// time: from <see cref="Add"/> when it took the idle queue (no timer is pending then), or from the timer, which only this
    /// method arms, as its last step.
    /// </summary>
    private void Serve(bool fromTimer)
    {
        while (true)
        {
            var now = _timeProvider.GetTimestamp();
            while (_hasHead || _entries.TryDequeue(out _head))
            {
                _hasHead = true;
                var head = _head;
                if (head.Due > now)
                {
                    // Exact when the queue was idle; a busy queue's timer fires at most once per Resolution.
                    var wait = _timeProvider.GetElapsedTime(now, head.Due);
                    try
                    {
                        _timer.Change(fromTimer && wait < Resolution ? Resolution : wait, Timeout.InfiniteTimeSpan);
                    }
                    catch (ObjectDisposedException)
                    {
                        // The client is disposed: nothing more expires.
                    }

                    return;
                }

                _hasHead = false;
                _head = default;
                try
                {
                    head.Source.TryExpire(head.Ticket, _scope);
                }
#pragma warning disable CA1031 // A callback registered on a call's token threw: the other calls' deadlines must still expire.
                catch (Exception)
#pragma warning restore CA1031
                {
                    // The call is cancelled all the same; the registrant's exception has nowhere to go.
                }
            }

            // Empty: idle again, unless an entry was added after the last look by an Add that saw the queue busy.
            Volatile.Write(ref _armed, 0);
            if (_entries.IsEmpty || Interlocked.CompareExchange(ref _armed, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private readonly record struct Entry(DeadlineSource Source, long Ticket, long Due);
}
