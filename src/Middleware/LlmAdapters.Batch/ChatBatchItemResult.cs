// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch;

/// <summary>The outcome of one item of a batch: its response or its error, with its cost.</summary>
public sealed class ChatBatchItemResult
{
    /// <summary>Gets the item's position in the batch's input, from 0.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the item's id: the caller's <see cref="ChatBatchItem.Id"/>, else its index as text.</summary>
    public required string Id { get; init; }

    /// <summary>Gets how the item ended.</summary>
    public required ChatBatchItemStatus Status { get; init; }

    /// <summary>Gets the response of a <see cref="ChatBatchItemStatus.Succeeded"/> item, else <see langword="null"/>.</summary>
    public ChatResponse? Response { get; init; }

    /// <summary>
    /// Gets the error of a <see cref="ChatBatchItemStatus.Failed"/> item (a <see cref="ChatProviderException"/> for a provider
    /// failure); for a <see cref="ChatBatchItemStatus.NotRun"/> item refused by a budget, the <see cref="BudgetExceededException"/>;
    /// else <see langword="null"/>.
    /// </summary>
    public Exception? Error { get; init; }

    /// <summary>Gets the kind of a provider failure (<see cref="ChatProviderException.Kind"/>), or <see langword="null"/>.</summary>
    public ChatProviderErrorKind? ErrorKind => (Error as ChatProviderException)?.Kind;

    /// <summary>Gets why a <see cref="ChatBatchItemStatus.NotRun"/> item was not run, else <see cref="ChatBatchStopReason.None"/>.</summary>
    public ChatBatchStopReason NotRunReason { get; init; }

    /// <summary>Gets the cost of the response as cost accounting priced it (<see cref="ChatCostExtensions.GetCost(ChatResponse)"/>), or <see langword="null"/> when unknown.</summary>
    public ChatCost? Cost { get; init; }

    /// <summary>Gets how long the item took, from its start to its end; <see cref="TimeSpan.Zero"/> for an item never started.</summary>
    public TimeSpan Duration { get; init; }
}
