// Licensed under the MIT License.

namespace LlmAdapters.Batch;

/// <summary>Options of a batch run by <see cref="ChatClientBatchExtensions.GetBatchResponsesAsync"/>.</summary>
public sealed class ChatBatchOptions
{
    /// <summary>The default of <see cref="MaxConcurrency"/>.</summary>
    public const int DefaultMaxConcurrency = 4;

    /// <summary>Gets or sets the largest number of items in flight at once.</summary>
    /// <value>The default value is <see cref="DefaultMaxConcurrency"/> (4). A rate-limiting stage in the pipeline may hold items back further.</value>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>Gets or sets a value indicating whether the batch goes on after an item fails.</summary>
    /// <value>
    /// The default value is <see langword="true"/>. When <see langword="false"/>, the first failure stops the batch: the
    /// items in flight finish (their results are kept), the items not started are reported as
    /// <see cref="ChatBatchItemStatus.NotRun"/> with <see cref="ChatBatchStopReason.Error"/>.
    /// </value>
    public bool ContinueOnError { get; set; } = true;

    /// <summary>Gets or sets where progress is reported: once at the start, each time an item starts or ends, and once at the end.</summary>
    /// <value>The default value is <see langword="null"/> (no reports).</value>
    /// <remarks>Each report is a new immutable snapshot. <see cref="Progress{T}"/> posts them to its context, so they may arrive out of order there.</remarks>
    public IProgress<ChatBatchProgress>? Progress { get; set; }

    /// <summary>Gets or sets a callback invoked once for every item the batch started, as soon as it ends (in completion order).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// Calls never overlap, so the callback may write to a file without a lock. It is invoked for items that end after the
    /// batch was cancelled too, so a caller can record every finished item (this is how the CLI makes a batch resumable).
    /// An exception thrown by it stops the batch and is rethrown by <see cref="ChatClientBatchExtensions.GetBatchResponsesAsync"/>.
    /// </remarks>
    public Func<ChatBatchItemResult, ValueTask>? ItemCompleted { get; set; }

    /// <summary>Gets or sets the clock of <see cref="ChatBatchProgress.Elapsed"/>, the ETA and the items' durations.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
