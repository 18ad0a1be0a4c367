// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>Reads and writes the <see cref="ChatRunTotals"/> that function invocation attaches to the final response of a run.</summary>
public static class ChatRunTotalsExtensions
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> (and of the last streamed update's) that holds the <see cref="ChatRunTotals"/>.</summary>
    public const string RunTotalsKey = "llmadapters.run";

    /// <summary>Gets the totals of the run that produced a response.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The totals, or <see langword="null"/> when the pipeline has no configured function invocation or the call offered no tools and had no run budget.</returns>
    public static ChatRunTotals? GetRunTotals(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(RunTotalsKey, out var value) == true ? value as ChatRunTotals : null;
    }

    /// <summary>Gets the totals of a streamed run: they arrive on its last update.</summary>
    /// <param name="updates">The updates, in order.</param>
    /// <returns>The totals, or <see langword="null"/>.</returns>
    public static ChatRunTotals? GetRunTotals(this IEnumerable<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ChatRunTotals? last = null;
        foreach (var update in updates)
        {
            if (update.AdditionalProperties?.TryGetValue(RunTotalsKey, out var value) == true && value is ChatRunTotals totals)
            {
                last = totals;
            }
        }

        return last;
    }

    /// <summary>
    /// Gets the totals of a run that ended with an exception (a run limit without <c>WrapUp</c>, a <c>ToolLoopException</c>,
    /// a provider error, a cancellation): what its model calls consumed before it ended, which the provider billed.
    /// </summary>
    /// <param name="exception">The exception the run ended with.</param>
    /// <returns>The totals, or <see langword="null"/> when the exception did not end a run of a configured tool loop.</returns>
    public static ChatRunTotals? GetRunTotals(this Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data.Contains(RunTotalsKey) ? exception.Data[RunTotalsKey] as ChatRunTotals : null;
    }

    /// <summary>Attaches a run's totals to its final response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="totals">The totals.</param>
    public static void SetRunTotals(this ChatResponse response, ChatRunTotals totals)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(totals);
        (response.AdditionalProperties ??= [])[RunTotalsKey] = totals;
    }

    /// <summary>Attaches a run's totals to a streaming update (the run's last).</summary>
    /// <param name="update">The update.</param>
    /// <param name="totals">The totals.</param>
    public static void SetRunTotals(this ChatResponseUpdate update, ChatRunTotals totals)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(totals);
        (update.AdditionalProperties ??= [])[RunTotalsKey] = totals;
    }
}
