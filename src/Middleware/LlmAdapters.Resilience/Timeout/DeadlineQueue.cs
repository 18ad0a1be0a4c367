// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// The deadlines of the running calls of one timeout client that runs with one configured limit: one timer for all of them
/// instead of one per call. The limit is the same for every call, so deadlines are added in the order they fall due and a
/// list kept in that order needs no sorting: a call's entry (<see cref="DeadlineEntry"/>, part of its pooled
/// <see cref="DeadlineSource"/>) is appended when it starts and unlinked when it ends; the timer is armed for the oldest,
/// and when it fires it expires every entry that is due and re-arms for the next.
/// </summary>
/// <remarks>
/// Exact on a quiet client (an entry added to an empty list arms the timer for its own deadline). When deadlines fall due
/// closer together than <see cref="Resolution"/> (a thousandth of the limit, between 1 ms and 100 ms), one firing serves
/// them all, so that a busy client wakes its timer at most once per <see cref="Resolution"/>: an expiry may then be late by
/// up to that much. Adding and removing an entry allocate nothing and hold the list's own lock for a few pointer writes (no
/// timer operation); the list holds the running calls only.
/// </remarks>
internal sealed class DeadlineQueue : IDisposable
{
    /// <summary>The scope of the whole limit (a call or an attempt).</summary>
    public const int TotalScope = 1;

    /// <summary>The scope of a stream's first update.</summary>
    public const int FirstUpdateScope = 2;

    private static readonly TimerCallback s_onTimer = static state => ((DeadlineQueue)state!).OnTimer();

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly long _limitTimestamp;
    private DeadlineEntry? _head;
    private DeadlineEntry? _tail;
    private bool _armed;

    /// <summary>Initializes a new instance of the <see cref="DeadlineQueue"/> class.</summary>
    /// <param name="limit">The limit of every call (positive, finite).</param>
    /// <param name="scope">What expires: <see cref="TotalScope"/> or <see cref="FirstUpdateScope"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    public DeadlineQueue(TimeSpan limit, int scope, TimeProvider timeProvider)
    {
        Limit = limit;
        Scope = scope;
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

    /// <summary>Gets what expires: <see cref="TotalScope"/> or <see cref="FirstUpdateScope"/>.</summary>
    public int Scope { get; }

    /// <summary>Gets how close together deadlines are served by one firing of the timer.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>Gets the number of entries (running calls), for tests.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                var count = 0;
                for (var entry = _head; entry is not null; entry = entry.Next)
                {
                    count++;
                }

                return count;
            }
        }
    }

    /// <summary>Adds the deadline of the use <paramref name="ticket"/> of an entry's source, started at <paramref name="startedAt"/> (a timestamp of the queue's clock).</summary>
    public void Add(DeadlineEntry entry, long ticket, long startedAt)
    {
        var due = startedAt + _limitTimestamp;
        bool arm;
        lock (_lock)
        {
            entry.Ticket = ticket;
            entry.Due = due;
            entry.Queue = this;
            entry.Next = null;
            entry.Previous = _tail;
            if (_tail is null)
            {
                _head = entry;
            }
            else
            {
                _tail.Next = entry;
            }

            _tail = entry;

            // An idle list has no timer pending: this entry, the only one, arms it.
            arm = !_armed;
            _armed = true;
        }

        if (arm)
        {
            Arm(_timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), due));
        }
    }

    /// <summary>Removes an entry whose call ended (or whose first update arrived); nothing when it already expired.</summary>
    public void Remove(DeadlineEntry entry)
    {
        lock (_lock)
        {
            if (entry.Queue != this)
            {
                return;
            }

            Unlink(entry);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private void OnTimer()
    {
        // Taken out under the lock, expired outside it (cancelling runs the calls' callbacks). The source and ticket are
        // copied: once unlinked, an entry may be reused by its source's next call before it is expired here.
        List<(DeadlineSource Source, long Ticket)>? expired = null;
        TimeSpan? next = null;
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            while (_head is { } head && head.Due <= now)
            {
                Unlink(head);
                (expired ??= []).Add((head.Source, head.Ticket));
            }

            if (_head is { } oldest)
            {
                // A busy list's timer fires at most once per Resolution.
                var wait = _timeProvider.GetElapsedTime(now, oldest.Due);
                next = wait < Resolution ? Resolution : wait;
            }
            else
            {
                _armed = false;
            }
        }

        if (expired is not null)
        {
            foreach (var (source, ticket) in expired)
            {
                try
                {
                    source.TryExpire(ticket, Scope);
                }
#pragma warning disable CA1031 // A callback registered on a call's token threw: the other calls' deadlines must still expire.
                catch (Exception)
#pragma warning restore CA1031
                {
                    // The call is cancelled all the same; the registrant's exception has nowhere to go.
                }
            }
        }

        if (next is { } rearm)
        {
            Arm(rearm);
        }
    }

    // Only one party arms at a time: an Add that found the list idle, or the timer's own callback while entries remain.
    private void Arm(TimeSpan wait)
    {
        try
        {
            _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The client is disposed: nothing more expires.
        }
    }

    private void Unlink(DeadlineEntry entry)
    {
        if (entry.Previous is null)
        {
            _head = entry.Next;
        }
        else
        {
            entry.Previous.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            _tail = entry.Previous;
        }
        else
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = null;
        entry.Next = null;
        entry.Queue = null;
    }
}
