// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// The cancellation source of one call's timeouts when they are the configured ones: no timer of its own (a
/// <see cref="DeadlineQueue"/> expires it through one of its entries), so that it can be reset and reused by the next call
/// (<see cref="DeadlineSourcePool"/>). Each use gets a ticket: an expiry that was taken out of a queue just as its call ended
/// holds the ended use's ticket and can no longer cancel the next one.
/// </summary>
/// <remarks>
/// The state is one word (ticket, active, first update pending), changed only by compare-and-swap, so that the call's end
/// and an expiry racing with it agree on who won: an expired source is never reused.
/// </remarks>
internal sealed class DeadlineSource : CancellationTokenSource
{
    private const long ActiveFlag = 1;
    private const long FirstUpdatePendingFlag = 2;
    private const int FlagBits = 2;

    private long _state;
    private int _expiredScope;

    /// <summary>Initializes a new instance of the <see cref="DeadlineSource"/> class.</summary>
    public DeadlineSource()
    {
        LimitEntry = new DeadlineEntry(this);
        FirstUpdateEntry = new DeadlineEntry(this);
    }

    /// <summary>Gets the source's entry in the queue of the whole limit.</summary>
    public DeadlineEntry LimitEntry { get; }

    /// <summary>Gets the source's entry in the queue of the first-update limit.</summary>
    public DeadlineEntry FirstUpdateEntry { get; }

    /// <summary>Gets the scope that expired this use (<see cref="DeadlineQueue.TotalScope"/> or <see cref="DeadlineQueue.FirstUpdateScope"/>), or 0.</summary>
    public int ExpiredScope => Volatile.Read(ref _expiredScope);

    /// <summary>Starts a use; only the renter calls it, before the source is shared with anything.</summary>
    /// <param name="firstUpdatePending">Whether a first-update limit applies to this use.</param>
    /// <returns>The use's ticket.</returns>
    public long Start(bool firstUpdatePending)
    {
        var ticket = (Volatile.Read(ref _state) >> FlagBits) + 1;
        _expiredScope = 0;
        Volatile.Write(ref _state, (ticket << FlagBits) | ActiveFlag | (firstUpdatePending ? FirstUpdatePendingFlag : 0));
        return ticket;
    }

    /// <summary>Ends the use's first-update limit: the first update arrived.</summary>
    public void FirstUpdateArrived(long ticket)
    {
        var state = Volatile.Read(ref _state);
        while (state >> FlagBits == ticket && (state & FirstUpdatePendingFlag) != 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state & ~FirstUpdatePendingFlag, state);
            if (seen == state)
            {
                return;
            }

            state = seen;
        }
    }

    /// <summary>Expires the use if it is still the one of <paramref name="ticket"/> and still running (and, for the first-update scope, still waiting for its first update).</summary>
    /// <returns><see langword="true"/> when this call cancelled the source.</returns>
    public bool TryExpire(long ticket, int scope)
    {
        var state = Volatile.Read(ref _state);
        while (true)
        {
            if (state >> FlagBits != ticket || (state & ActiveFlag) == 0 || (scope == DeadlineQueue.FirstUpdateScope && (state & FirstUpdatePendingFlag) == 0))
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _state, (ticket << FlagBits) /* inactive */, state);
            if (seen == state)
            {
                break;
            }

            state = seen;
        }

        // The scope is written before the token is cancelled, so whoever sees the cancellation sees why.
        Volatile.Write(ref _expiredScope, scope);
        Cancel();
        return true;
    }

    /// <summary>Ends the use at the call's end.</summary>
    /// <returns><see langword="true"/> when no expiry won (the source may be reused if nothing else cancelled it).</returns>
    public bool TryEnd(long ticket)
    {
        var state = Volatile.Read(ref _state);
        while (state >> FlagBits == ticket && (state & ActiveFlag) != 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, ticket << FlagBits, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }
}
