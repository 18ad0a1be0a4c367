// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>
/// The network timeout of one exchange: a source cancelled when the exchange has been silent for the whole timeout. Each
/// event only moves the deadline (<see cref="Restart"/> writes a timestamp); one timer per exchange, on the options'
/// <see cref="System.TimeProvider"/>, wakes when the deadline it last saw is due and either cancels or sleeps until the moved
/// deadline. No timer operation per event, so thousands of concurrent streams do not contend on the runtime's timer queue.
/// </summary>
/// <remarks>
/// Semantics are those of re-arming a timer before every read: the longest silence allowed is the timeout, counted from the
/// last <see cref="Restart"/>. The timer fires at most once per timeout period while events flow.
/// </remarks>
internal sealed class NetworkDeadline : CancellationTokenSource
{
    private static readonly TimerCallback s_onTimer = static state => ((NetworkDeadline)state!).OnTimer();

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;
    private long _restartedAt;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="NetworkDeadline"/> class and starts counting.</summary>
    /// <param name="timeout">The longest silence (positive, not infinite).</param>
    /// <param name="timeProvider">The clock.</param>
    public NetworkDeadline(TimeSpan timeout, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _timeout = timeout;
        _restartedAt = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(s_onTimer, this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Moves the deadline to one timeout from now: a timestamp write, no timer operation.</summary>
    public void Restart() => Volatile.Write(ref _restartedAt, _timeProvider.GetTimestamp());

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _timer.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnTimer()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var silence = _timeProvider.GetElapsedTime(Volatile.Read(ref _restartedAt));
        try
        {
            if (silence >= _timeout)
            {
                Cancel();
            }
            else
            {
                _timer.Change(_timeout - silence, Timeout.InfiniteTimeSpan);
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call: the exchange is over.
        }
    }
}
