// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// One deadline of a <see cref="DeadlineSource"/> in a <see cref="DeadlineQueue"/>'s list: a node that belongs to the source
/// (one per limit it can be held to) and is reused with it, so that adding a call's deadline allocates nothing. Its fields
/// are changed only under the lock of the queue it is in.
/// </summary>
internal sealed class DeadlineEntry(DeadlineSource source)
{
    /// <summary>Gets the source the deadline cancels.</summary>
    public DeadlineSource Source { get; } = source;

    /// <summary>Gets or sets the use of the source the deadline belongs to.</summary>
    public long Ticket { get; set; }

    /// <summary>Gets or sets when the deadline falls due (a timestamp of the queue's clock).</summary>
    public long Due { get; set; }

    /// <summary>Gets or sets the queue the entry is in, or <see langword="null"/> when it is in none.</summary>
    public DeadlineQueue? Queue { get; set; }

    public DeadlineEntry? Previous { get; set; }

    public DeadlineEntry? Next { get; set; }
}
