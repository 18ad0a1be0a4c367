// Licensed under the MIT License.

namespace LlmAdapters.Batch;

/// <summary>A snapshot of a running batch, reported through <see cref="ChatBatchOptions.Progress"/>. Immutable.</summary>
public sealed class ChatBatchProgress
{
    /// <summary>Gets the number of items in the batch.</summary>
    public required int Total { get; init; }

    /// <summary>Gets the number of items that succeeded so far.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Gets the number of items that failed so far.</summary>
    public required int Failed { get; init; }

    /// <summary>Gets the number of items in flight (started, not yet ended).</summary>
    public required int InFlight { get; init; }

    /// <summary>Gets the number of items ended so far, succeeded or failed.</summary>
    public int Done => Succeeded + Failed;

    /// <summary>Gets the input tokens of the responses so far.</summary>
    public required long InputTokens { get; init; }

    /// <summary>Gets the output tokens of the responses so far.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Gets the cost of the responses so far, in US dollars.</summary>
    public required decimal Cost { get; init; }

    /// <summary>Gets how long the batch has run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>
    /// Gets the estimated time until the batch ends, from the pace of the items ended so far (the batch's
    /// <see cref="ChatBatchOptions.TimeProvider"/>), or <see langword="null"/> before the first item has ended.
    /// </summary>
    public TimeSpan? EstimatedRemaining { get; init; }

    /// <summary>Gets why the batch is stopping early, or <see cref="ChatBatchStopReason.None"/>.</summary>
    public ChatBatchStopReason StopReason { get; init; }
}
