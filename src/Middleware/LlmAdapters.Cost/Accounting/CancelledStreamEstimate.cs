// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The usage of a stream the caller cancelled or abandoned before the provider reported its usage: the prompt's tokens
/// estimated as a budget reservation estimates them, and the characters of the text, reasoning and tool-call names received
/// at four per token. The budget and cost accounting estimate alike, so the ledger records what the budget spends
/// (docs/cost.md, "Cancelled streams"). Counting characters allocates nothing per update.
/// </summary>
internal static class CancelledStreamEstimate
{
    /// <summary>Counts the characters an update carries.</summary>
    public static long Characters(ChatResponseUpdate update)
    {
        long count = 0;
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            count += contents[i] switch
            {
                TextContent text => text.Text?.Length ?? 0,
                TextReasoningContent reasoning => reasoning.Text?.Length ?? 0,
                FunctionCallContent call => call.Name.Length,
                _ => 0,
            };
        }

        return count;
    }

    /// <summary>Estimates the usage consumed so far.</summary>
    public static UsageDetails Usage(ITokenEstimator estimator, IEnumerable<ChatMessage> messages, ChatOptions? options, long receivedCharacters)
    {
        long input = estimator.EstimateInputTokens(messages, options);
        long output = (receivedCharacters + 3) / 4;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
