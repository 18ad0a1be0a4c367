// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// The reusable <see cref="DeadlineSource"/>s of one timeout client: a few slots taken and filled by compare-and-swap (no
/// lock, nothing allocated); a source returned to a full pool is dropped, a rent from an empty one makes a new source.
/// </summary>
internal sealed class DeadlineSourcePool
{
    private readonly DeadlineSource?[] _slots = new DeadlineSource?[Math.Clamp(Environment.ProcessorCount * 4, 8, 64)];

    /// <summary>Takes a source that is not cancelled and has no registrations.</summary>
    public DeadlineSource Rent()
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            var source = Volatile.Read(ref slots[i]);
            if (source is not null && Interlocked.CompareExchange(ref slots[i], null, source) == source)
            {
                return source;
            }
        }

        return new DeadlineSource();
    }

    /// <summary>Gives back a source after <see cref="CancellationTokenSource.TryReset"/> succeeded on it.</summary>
    public void Return(DeadlineSource source)
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], source, null) is null)
            {
                return;
            }
        }
    }
}
