// Licensed under the MIT License.

using LlmAdapters.DashScope.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope;

/// <summary>Streaming: server-sent events (<c>X-DashScope-SSE: enable</c>, <c>incremental_output</c>) to <see cref="ChatResponseUpdate"/>s.</summary>
public sealed partial class DashScopeChatClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Reasoning and text are yielded as they arrive; tool calls, streamed in fragments, are yielded once, complete, with the
    /// last update, which also carries the finish reason (<c>"null"</c>, a string, until then) and one <see cref="UsageContent"/>
    /// (the last cumulative report). An error event, or a stream that ends before a finish reason, throws a
    /// <see cref="ChatProviderException"/>. Cancelling the token, or disposing of the enumerator, releases the connection.
    /// </remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (body, plan) = DashScopeMapper.CreateRequest(ProviderState.ForTarget(messages, _streamTransport.StateOrigin!, options), options, _options, stream: true);
        return _streamTransport.GetStreamingResponseAsync(
            plan.Multimodal ? _multimodalUri : _textUri,
            (Body: body, Plan: plan, Clock: _options.TimeProvider),
            static state => (state.Body, new DashScopeStreamDecoder(state.Plan, state.Clock)),
            cancellationToken);
    }
}
