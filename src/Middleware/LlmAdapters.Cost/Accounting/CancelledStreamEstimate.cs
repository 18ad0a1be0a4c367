// Licensed under the MIT License.

using System.Text;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The usage of a stream the caller cancelled or abandoned before the provider reported its usage: the prompt's tokens
/// estimated as a budget reservation estimates them, and the tokens of the text and reasoning received. The budget and cost
/// accounting estimate alike, so the ledger records what the budget spends (docs/cost.md, "Cancelled streams").
/// </summary>
internal sealed class CancelledStreamEstimate
{
    private readonly StringBuilder _received = new();

    /// <summary>Gets a value indicating whether any update was received.</summary>
    public bool AnyUpdate { get; private set; }

    /// <summary>Adds the text of an update.</summary>
    public void Add(ChatResponseUpdate update)
    {
        AnyUpdate = true;
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text:
                    _ = _received.Append(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    _ = _received.Append(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    _ = _received.Append(call.Name);
                    break;
            }
        }
    }

    /// <summary>Estimates the usage consumed so far.</summary>
    public UsageDetails Usage(ITokenEstimator estimator, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        long input = estimator.EstimateInputTokens(messages, options);
        long output = _received.Length == 0 ? 0 : estimator.EstimateInputTokens([new ChatMessage(ChatRole.Assistant, _received.ToString())], null);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    /// <summary>Prices the estimate by the call's one pricing decision, marked estimated.</summary>
    public static ChatCost? Price(PriceCatalog catalog, UsageDetails usage, string? responseModelId, string? requestedModelId, string? serviceTier, bool local)
    {
        if (PricingDecision.Price(catalog, usage, responseModelId, requestedModelId, serviceTier, local) is not { } cost)
        {
            return null;
        }

        return new ChatCost
        {
            Total = cost.Total,
            Input = cost.Input,
            CachedInput = cost.CachedInput,
            CacheWrite = cost.CacheWrite,
            Output = cost.Output,
            Reasoning = cost.Reasoning,
            ModelId = cost.ModelId,
            PricedAs = cost.PricedAs,
            TierAboveInputTokens = cost.TierAboveInputTokens,
            ServiceTier = cost.ServiceTier,
            PricedBy = cost.PricedBy,
            IsEstimated = true,
        };
    }
}
