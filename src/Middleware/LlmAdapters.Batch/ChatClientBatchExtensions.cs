// Licensed under the MIT License.

using LlmAdapters.Batch.Internal;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch;

/// <summary>Sends many requests through one <see cref="IChatClient"/>: bounded concurrency, per-item results in input order, progress.</summary>
public static class ChatClientBatchExtensions
{
    /// <summary>
    /// Sends every item through <paramref name="client"/> (its whole configured pipeline: rate limits queue the items,
    /// retries and fallback act per item, a budget stops the batch) with at most <see cref="ChatBatchOptions.MaxConcurrency"/>
    /// in flight, and returns one result per item in input order.
    /// </summary>
    /// <param name="client">The client, typically a configured pipeline.</param>
    /// <param name="items">The requests.</param>
    /// <param name="options">The batch options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the batch: items in flight are cancelled, items not started are not run.</param>
    /// <returns>
    /// One result per item: <see cref="ChatBatchItemStatus.Succeeded"/> with its response and cost,
    /// <see cref="ChatBatchItemStatus.Failed"/> with its error, or <see cref="ChatBatchItemStatus.NotRun"/> when the batch stopped
    /// first (a budget exhausted, or the first error with <see cref="ChatBatchOptions.ContinueOnError"/> off).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="items"/> holds a null item.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ChatBatchOptions.MaxConcurrency"/> is less than 1.</exception>
    /// <exception cref="ChatBatchCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled; its <see cref="ChatBatchCanceledException.Result"/> tells which items finished.
    /// </exception>
    /// <remarks>
    /// Item errors never escape: a <see cref="LlmAdapters.Cost.BudgetExceededException"/> marks the refused item and every item not yet started
    /// as not run (nothing was sent for them) and stops the batch, and any other exception is that item's
    /// <see cref="ChatBatchItemResult.Error"/>. Items in flight when the batch stops are allowed to finish.
    /// </remarks>
    public static async Task<ChatBatchResult> GetBatchResponsesAsync(
        this IChatClient client,
        IEnumerable<ChatBatchItem> items,
        ChatBatchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(items);
        ChatBatchItem[] list = [.. items];
        if (Array.IndexOf(list, null) >= 0)
        {
            throw new ArgumentException("A batch must not contain a null item.", nameof(items));
        }

        options ??= new ChatBatchOptions();
        options.Validate();
        using var run = new ChatBatchRun(client, list, options);
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
