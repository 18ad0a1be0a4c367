// Licensed under the MIT License.

using LlmAdapters.Anthropic.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic;

/// <summary>Streaming: server-sent events to <see cref="ChatResponseUpdate"/>s.</summary>
public sealed partial class AnthropicChatClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Text and thinking are yielded as they arrive; a tool call is yielded once, complete, when its block stops; the last
    /// update carries the finish reason and one <see cref="UsageContent"/> (message_start usage overwritten, member by member,
    /// by message_delta's cumulative usage). An <c>error</c> event, or a stream that ends before <c>message_stop</c>, throws a
    /// <see cref="ChatProviderException"/>. Cancelling the token, or disposing of the enumerator, releases the connection.
    /// </remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetStreamingResponseAsync(_messagesUri, (Client: this, Messages: messages, Options: options), static state =>
        {
            ArgumentNullException.ThrowIfNull(state.Messages, nameof(messages));
            var (body, plan) = AnthropicMapper.CreateRequest(
                state.Client,
                ProviderState.ForTarget(state.Messages, state.Client._transport.StateOrigin!, state.Options),
                AnthropicThinkingReplay.ForTurn(state.Messages, state.Options, state.Client._transport.StateOrigin!), state.Client._options, stream: true);
            return (body, new AnthropicStreamState(plan, state.Client._options.TimeProvider));
        }, cancellationToken);
}
