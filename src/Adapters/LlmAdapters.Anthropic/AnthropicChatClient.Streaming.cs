// Licensed under the MIT License.

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using LlmAdapters.Anthropic.Internal;
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
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (body, plan) = AnthropicMapper.CreateRequest(this, messages, options, _options, stream: true);
        using var request = CreateHttpRequest(body, stream: true);

        // The network timeout bounds each silence: until the headers, then between two events.
        using var timeout = StartNetworkTimeout();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var response = await SendAsync(request, linked.Token, cancellationToken).ConfigureAwait(false);

        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw Refine(translated, response);
        }

        var sse = new EndTerminatedStream(stream);
        await using (sse.ConfigureAwait(false))
        {
            var state = new AnthropicStreamState(plan, _options.TimeProvider);
            // Each event is handled as the parser dispatches it, from the UTF-8 bytes of its data: no string per event.
            var events = SseParser.Create(sse, state.Process).EnumerateAsync(linked.Token).GetAsyncEnumerator(linked.Token);
            await using (events.ConfigureAwait(false))
            {
                while (!state.Completed)
                {
                    ChatResponseUpdate? update;
                    try
                    {
                        timeout.CancelAfter(_networkTimeout);
                        if (!await events.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        update = events.Current.Data;
                    }
                    catch (ChatProviderException ex)
                    {
                        throw Refine(ex, response);
                    }
                    catch (System.Text.Json.JsonException ex) when (sse.InnerEnded)
                    {
                        // The body ended in the middle of an event: a cut stream, not a malformed one.
                        throw Refine(Incomplete(response, ex), response);
                    }
                    catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                    {
                        throw Refine(translated, response);
                    }

                    if (update is not null)
                    {
                        yield return update;
                    }
                }
            }

            if (!state.Completed)
            {
                throw Refine(Incomplete(response, null), response);
            }
        }
    }

    private static ChatProviderException Incomplete(HttpResponseMessage response, Exception? innerException) => new(
        ChatProviderErrorKind.Unavailable,
        AnthropicConstants.ProviderName,
        "The stream ended before message_stop: the response is incomplete.",
        response.StatusCode,
        innerException);
}
