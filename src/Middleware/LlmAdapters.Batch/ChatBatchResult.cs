// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch;

/// <summary>The outcome of a batch: one <see cref="ChatBatchItemResult"/> per input item, in input order, and the totals.</summary>
public sealed class ChatBatchResult
{
    /// <summary>Gets one result per input item, in input order: every item is accounted for.</summary>
    public required IReadOnlyList<ChatBatchItemResult> Items { get; init; }

    /// <summary>Gets why the batch stopped early, or <see cref="ChatBatchStopReason.None"/>.</summary>
    public required ChatBatchStopReason StopReason { get; init; }

    /// <summary>Gets the error that stopped the batch (the refused budget, or the first error), or <see langword="null"/>.</summary>
    public Exception? StopError { get; init; }

    /// <summary>Gets the number of items that succeeded.</summary>
    public int Succeeded => Count(ChatBatchItemStatus.Succeeded);

    /// <summary>Gets the number of items that failed.</summary>
    public int Failed => Count(ChatBatchItemStatus.Failed);

    /// <summary>Gets the number of items never sent.</summary>
    public int NotRun => Count(ChatBatchItemStatus.NotRun);

    /// <summary>Gets the number of items cancelled in flight.</summary>
    public int Cancelled => Count(ChatBatchItemStatus.Cancelled);

    /// <summary>Gets the summed usage of the responses.</summary>
    public required UsageDetails Usage { get; init; }

    /// <summary>Gets the summed cost of the responses in US dollars (responses without a known cost count as 0).</summary>
    public required decimal Cost { get; init; }

    /// <summary>Gets how long the batch ran.</summary>
    public required TimeSpan Elapsed { get; init; }

    private int Count(ChatBatchItemStatus status)
    {
        var count = 0;
        foreach (var item in Items)
        {
            count += item.Status == status ? 1 : 0;
        }

        return count;
    }
}
