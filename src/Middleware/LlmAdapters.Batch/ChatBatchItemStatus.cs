// Licensed under the MIT License.

namespace LlmAdapters.Batch;

/// <summary>How one item of a batch ended.</summary>
public enum ChatBatchItemStatus
{
    /// <summary>The item was never sent: the batch stopped first (budget exhausted, stop at the first error, cancelled), or its budget reservation was refused.</summary>
    NotRun = 0,

    /// <summary>The item got a response.</summary>
    Succeeded,

    /// <summary>The item failed with an error (<see cref="ChatBatchItemResult.Error"/>).</summary>
    Failed,

    /// <summary>The item was in flight when the batch was cancelled: it has no response, and the provider may have billed part of it.</summary>
    Cancelled,
}
