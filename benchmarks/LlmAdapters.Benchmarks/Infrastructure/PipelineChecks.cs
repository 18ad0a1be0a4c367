// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>The setup checks of the pipeline benchmarks over <see cref="FixedChatClient"/>: no row may skip work the others do.</summary>
internal static class PipelineChecks
{
    /// <summary>
    /// Checks that every client answers the fixed response and the 50-update stream, and that <paramref name="priced"/>
    /// (a pipeline with cost accounting) prices the response.
    /// </summary>
    public static void Verify(List<ChatMessage> messages, IChatClient priced, IEnumerable<IChatClient> clients)
    {
        var response = new ChatAnswer("Hello! How can I assist you today?", null, 8, 9);
        var stream = new ChatAnswer(Payloads.SyntheticText(49), null, 8, 49);
        foreach (var client in clients)
        {
            Answers.FromResponseAsync(client.GetResponseAsync(messages)).GetAwaiter().GetResult().Verify(response, client.GetType().Name);
            Answers.FromStreamAsync(client.GetStreamingResponseAsync(messages)).GetAwaiter().GetResult().Verify(stream, client.GetType().Name);
        }

        if (priced.GetResponseAsync(messages).GetAwaiter().GetResult().GetCost() is null)
        {
            throw new InvalidOperationException("Cost accounting did not price the response: the benchmark would skip its work.");
        }
    }
}
