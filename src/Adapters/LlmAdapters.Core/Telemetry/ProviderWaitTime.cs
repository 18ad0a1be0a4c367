// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>
/// The time one call of a chat client spent waiting on the provider's bytes (until the response headers, then on each read
/// of the body), as the native adapters report it, so that a pipeline can tell the time spent in the library from the time
/// spent waiting: its overhead metric (<c>llmadapters.client.overhead</c>, in LlmAdapters.Hosting) is the call's time in the
/// library minus this.
/// </summary>
/// <remarks>
/// <para>A pipeline's outermost stage starts one per call with <see cref="Begin"/> (an async-local value, so that it flows into
/// the adapter's call, retries and tool loops included) only when someone listens to its metric; the adapter reads
/// <see cref="Current"/> once when its call starts and adds to it. Nothing is measured when there is none.</para>
/// <para>An accumulator begun while another is current (a gateway's around its pipeline's) adds what it is told to the outer
/// one too, so that each layer can tell its own time from the provider's.</para>
/// <para>Thread safety: <see cref="Add"/> may be called from several threads (parallel attempts).</para>
/// </remarks>
public sealed class ProviderWaitTime
{
    private static readonly AsyncLocal<ProviderWaitTime?> s_current = new();
    private readonly ProviderWaitTime? _outer;
    private long _ticks;
    private int _reports;

    private ProviderWaitTime(ProviderWaitTime? outer)
    {
        _outer = outer;
    }

    /// <summary>Gets the accumulator of the call in progress on this flow, or <see langword="null"/> when none is measured.</summary>
    public static ProviderWaitTime? Current => s_current.Value;

    /// <summary>Gets the time waited so far.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>Gets a value indicating whether an adapter reported any wait (an adapter that does not report leaves it unset).</summary>
    public bool Reported => Volatile.Read(ref _reports) != 0;

    /// <summary>Starts measuring a call: the accumulator becomes <see cref="Current"/> for the calls made from this flow.</summary>
    /// <returns>The accumulator.</returns>
    public static ProviderWaitTime Begin()
    {
        var wait = new ProviderWaitTime(s_current.Value);
        s_current.Value = wait;
        return wait;
    }

    /// <summary>Makes an accumulator <see cref="Current"/> again on this flow (each step of an async iterator runs on its caller's flow).</summary>
    /// <param name="wait">The call's accumulator.</param>
    public static void Resume(ProviderWaitTime wait) => s_current.Value = wait;

    /// <summary>Adds a time waited on the provider.</summary>
    /// <param name="waited">The time.</param>
    public void Add(TimeSpan waited)
    {
        Interlocked.Add(ref _ticks, waited.Ticks);
        Volatile.Write(ref _reports, 1);
        _outer?.Add(waited);
    }
}
