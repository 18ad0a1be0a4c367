// Licensed under the MIT License.

namespace LlmAdapters.Batch;

/// <summary>Why a batch stopped before it had started every item.</summary>
public enum ChatBatchStopReason
{
    /// <summary>The batch did not stop early: every item was started.</summary>
    None = 0,

    /// <summary>A budget refused an item's reservation (<c>BudgetExceededException</c>): the items not yet started were not run.</summary>
    BudgetExceeded,

    /// <summary>An item failed and <see cref="ChatBatchOptions.ContinueOnError"/> was off.</summary>
    Error,

    /// <summary>The batch's cancellation token was cancelled.</summary>
    Cancelled,
}
