// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>One client of a fallback order: its name, its circuit, and the mark it leaves on what it serves.</summary>
internal sealed class FallbackTarget : DelegatingChatClient
{
    private readonly bool _ownsClient;

    public FallbackTarget(string name, IChatClient client, bool ownsClient, CircuitBreaker circuit)
        : base(client)
    {
        Name = name;
        _ownsClient = ownsClient;
        Circuit = circuit;
    }

    public string Name { get; }

    public CircuitBreaker Circuit { get; }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[ResilienceTelemetry.FallbackClientTag] = Name;
        Activity.Current?.SetTag(ResilienceTelemetry.FallbackClientTag, Name);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var first = true;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                first = false;
                (update.AdditionalProperties ??= [])[ResilienceTelemetry.FallbackClientTag] = Name;
                Activity.Current?.SetTag(ResilienceTelemetry.FallbackClientTag, Name);
            }

            yield return update;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_ownsClient)
        {
            base.Dispose(disposing);
        }
    }
}
