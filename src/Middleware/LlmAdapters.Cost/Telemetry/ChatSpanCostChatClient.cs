// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// Puts the cost of each model call on its <c>chat</c> span (<see cref="CostTelemetryNames.CostAmountAttribute"/>,
/// <c>.currency</c>, <c>.source</c>): placed just inside M.E.AI's OpenTelemetry client, so the current activity is the call's
/// span, inside function invocation, so each call of a tool loop gets its own. Priced by the call's one pricing decision.
/// Does nothing when the current activity is not a <c>chat</c> span (nobody listens, or no OpenTelemetry stage).
/// </summary>
internal sealed class ChatSpanCostChatClient(IChatClient innerClient, PriceCatalog catalog) : DelegatingChatClient(innerClient)
{
    private const string OperationNameTag = "gen_ai.operation.name";
    private readonly ChatClientMetadata? _metadata = innerClient.GetService<ChatClientMetadata>();

    // Without a chat span (nobody listens) the call passes through: no state machine, no iterator.
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatSpan() is { } span ? PricedAsync(span, messages, options, cancellationToken) : base.GetResponseAsync(messages, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatSpan() is { } span ? PricedStreamAsync(span, messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);

    private async Task<ChatResponse> PricedAsync(Activity span, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (Price(response.Usage, response.ModelId, options, PricingDecision.ServiceTier(response.AdditionalProperties, options)) is { } cost)
        {
            CostTelemetry.Tag(span, cost);
        }

        return response;
    }

    private async IAsyncEnumerable<ChatResponseUpdate> PricedStreamAsync(
        Activity span, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? modelId = null;
        string? serviceTier = null;
        ChatCost? total = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            modelId = update.ModelId ?? modelId;
            serviceTier = PricingDecision.Read(update.AdditionalProperties) ?? serviceTier;
            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is UsageContent usage && Price(usage.Details, modelId, options, serviceTier ?? PricingDecision.Read(options?.AdditionalProperties)) is { } cost)
                {
                    total = total?.Add(cost) ?? cost;
                    CostTelemetry.Tag(span, total);
                }
            }

            yield return update;
        }
    }

    private static Activity? ChatSpan() =>
        Activity.Current is { } current && string.Equals(current.GetTagItem(OperationNameTag) as string, "chat", StringComparison.Ordinal) ? current : null;

    private ChatCost? Price(UsageDetails? usage, string? responseModelId, ChatOptions? options, string? serviceTier) =>
        PricingDecision.Price(
            catalog,
            usage,
            responseModelId,
            options?.ModelId ?? _metadata?.DefaultModelId,
            serviceTier,
            _metadata?.ProviderName is { } provider && PricingDecision.DefaultLocalProviders.Contains(provider));
}
