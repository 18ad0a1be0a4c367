// Licensed under the MIT License.

using LlmAdapters.Ollama.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama;

/// <summary>Streaming: NDJSON lines to <see cref="ChatResponseUpdate"/>s.</summary>
public sealed partial class OllamaChatClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// One update per line: thinking as <see cref="TextReasoningContent"/>, text, and tool calls complete as the server sends
    /// them; the <c>done</c> line's update carries the finish reason (<see cref="ChatFinishReason.ToolCalls"/> when a call
    /// was seen), one <see cref="UsageContent"/> and the durations. An <c>{"error": …}</c> line, or a stream that ends
    /// without its <c>done</c> line, throws a <see cref="ChatProviderException"/>. Cancelling the token, or disposing of the
    /// enumerator, releases the connection.
    /// </remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetStreamingResponseAsync(_chatUri, (Client: this, Messages: messages, Options: options), static state =>
        {
            ArgumentNullException.ThrowIfNull(state.Messages, nameof(messages));
            var body = OllamaMapper.CreateRequest(ProviderState.ForTarget(state.Messages, state.Client._transport.StateOrigin!, state.Options), state.Options, state.Client._options, stream: true);
            return (body, new OllamaStreamDecoder(state.Client._options.TimeProvider));
        }, cancellationToken);
}
