// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// The outermost check of a configured pipeline: a <see cref="ChatOptions.AdditionalProperties"/> key in the
/// <see cref="ChatCallOverrides.KeyPrefix"/> namespace that no registered stage declares
/// (<see cref="IChatPipelineStage.CallOverrideKeys"/>) fails the call before anything is sent, naming the key and the
/// nearest known one, so that a typo never silently does nothing. A key of a stage that is off for this client is known.
/// </summary>
internal sealed class KnownCallOverridesChatClient : DelegatingChatClient
{
    private readonly HashSet<string> _known;

    public KnownCallOverridesChatClient(IChatClient innerClient, IEnumerable<string> knownKeys)
        : base(innerClient)
    {
        _known = new HashSet<string>(knownKeys, StringComparer.Ordinal);
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfUnknown(options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfUnknown(options);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void ThrowIfUnknown(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var key in properties.Keys)
        {
            if (key.StartsWith(ChatCallOverrides.KeyPrefix, StringComparison.OrdinalIgnoreCase) && !_known.Contains(key))
            {
                var known = _known.Order(StringComparer.Ordinal).ToList();
                var nearest = ConfigurationKeyUsage.Nearest(key, known) is { } n ? $" Did you mean '{n}'?" : string.Empty;
                throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties['{key}'] is not a per-call override any stage of the pipeline reads.{nearest} Known keys: {string.Join(", ", known)}.",
                    nameof(options));
            }
        }
    }
}
