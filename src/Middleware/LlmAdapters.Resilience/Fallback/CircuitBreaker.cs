// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// Counts a client's failures: <c>threshold</c> failures within the sampling window open the circuit for the break
/// duration; after it the client is tried again, and one more failure opens the circuit at once (half-open).
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _failures = new();
    private readonly int _threshold;
    private readonly TimeSpan _window;
    private readonly TimeSpan _breakDuration;
    private DateTimeOffset? _openUntil;
    private bool _halfOpen;

    public CircuitBreaker(int threshold, TimeSpan window, TimeSpan breakDuration)
    {
        _threshold = threshold;
        _window = window;
        _breakDuration = breakDuration;
    }

    /// <summary>Gets whether the circuit is open, and for how much longer.</summary>
    /// <param name="now">The time.</param>
    /// <param name="remaining">The time until it closes.</param>
    /// <returns><see langword="true"/> when the client must be skipped.</returns>
    public bool IsOpen(DateTimeOffset now, out TimeSpan remaining)
    {
        lock (_lock)
        {
            if (_openUntil is { } until)
            {
                if (now < until)
                {
                    remaining = until - now;
                    return true;
                }

                _openUntil = null;
                _halfOpen = true;
            }

            remaining = TimeSpan.Zero;
            return false;
        }
    }

    /// <summary>Records a failure.</summary>
    /// <param name="now">The time.</param>
    /// <returns><see langword="true"/> when this failure opened the circuit.</returns>
    public bool RecordFailure(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_openUntil is not null)
            {
                return false;
            }

            while (_failures.TryPeek(out var oldest) && oldest + _window <= now)
            {
                _failures.Dequeue();
            }

            _failures.Enqueue(now);
            if (!_halfOpen && _failures.Count < _threshold)
            {
                return false;
            }

            _failures.Clear();
            _halfOpen = false;
            _openUntil = now + _breakDuration;
            return true;
        }
    }

    /// <summary>Opens the circuit until a time another process shared, unless it is open longer already.</summary>
    /// <param name="until">When the shared cool-down ends.</param>
    /// <param name="now">The time.</param>
    public void OpenUntil(DateTimeOffset until, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (until > now && (_openUntil is not { } current || current < until))
            {
                _openUntil = until;
                _failures.Clear();
                _halfOpen = false;
            }
        }
    }

    /// <summary>Records a success: the count starts again.</summary>
    public void RecordSuccess()
    {
        lock (_lock)
        {
            _failures.Clear();
            _halfOpen = false;
        }
    }
}
