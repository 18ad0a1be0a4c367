// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using LlmAdapters.OpenAI.Internal;
using Microsoft.Extensions.AI;
using StreamingChatCompletionUpdate = OpenAI.Chat.StreamingChatCompletionUpdate;

namespace LlmAdapters.OpenAI;

/// <summary>Streaming: Server-Sent Events chunks to <see cref="ChatResponseUpdate"/>s, with errors translated midway.</summary>
public sealed partial class OpenAICompatibleChatClient
{
    /// <inheritdoc/>
    /// <exception cref="ChatProviderException">The provider refused the request, failed midway (an <c>error</c> chunk, a
    /// broken connection, a malformed chunk) or closed the stream before sending a finish reason.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ForgetPreviousAttemptTags();

        // The network timeout bounds each silence between two updates, as on the native path: the SDK's bounds each read, so
        // a server sending only SSE comments would keep a raw call open for ever (issue 20, N11).
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var terminal = new LlmAdapters.Native.TerminalEventRule(keepAssembledCalls: true);

        // The body's terminal event, [DONE], is watched for as the native decoder requires it: the SDK's reader ends as
        // quietly when the connection closes (issue 20, N11). The watch reaches the response policy on this flow.
        var done = SseDoneWatch.Begin();
        var enumerator = _inner.GetStreamingResponseAsync(LlmAdapters.Native.ProviderState.ForTarget(messages, _stateOrigin, options), ExtraBodyFields.Apply(options), linked.Token).GetAsyncEnumerator(linked.Token);
        await using (enumerator.ConfigureAwait(false))
        {
            var finished = false;
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (_networkTimeout != Timeout.InfiniteTimeSpan)
                    {
                        idle.CancelAfter(_networkTimeout);
                    }

                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex)
                {
                    if (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        throw new ChatProviderException(
                            ChatProviderErrorKind.Timeout,
                            _providerName,
                            "No streamed update arrived within the network timeout (NetworkTimeout).",
                            null,
                            ex is OperationCanceledException ? null : ex);
                    }

                    if (Translate(ex, cancellationToken) is not { } translated)
                    {
                        throw;
                    }

                    // A chunk cut in the middle of its JSON is a cut stream (Unavailable), as on the native path.
                    throw translated is ChatProviderException provider
                        ? Native.OpenAIChatCompletionsClient.RefineCutJson(provider, System.Net.HttpStatusCode.OK)
                        : translated;
                }
                finally
                {
                    SseDoneWatch.End();
                }

                if (update.RawRepresentation is StreamingChatCompletionUpdate chunk)
                {
                    // An error chunk carries no choices and no usage, so its update is empty: only such an update is looked into.
                    if (update.Contents.Count == 0 && ReasoningFields.TryGetStreamError(chunk, out var errorJson))
                    {
                        throw ChatProviderErrors.FromErrorPayload(_providerName, SecretRedactor.Redact(errorJson, _apiKey)!);
                    }

                    ReasoningFields.AddStreamingReasoning(chunk, update);
                }

                finished |= update.FinishReason is not null;

                // Nothing passes on after the terminal event (the first finish reason), as on every native adapter.
                if (terminal.Apply(update) is { } passed)
                {
                    LlmAdapters.Native.ProviderState.Mark(passed, _stateOrigin);
                    yield return passed;
                }
            }

            // A closed connection ends an SSE stream as quietly as a finished answer: without [DONE], or without a finish
            // reason, the answer is probably cut short, and a silent success would hand a truncated (or empty) answer to the
            // caller. The same errors as the native decoder's, in the same order.
            if (!done.SawDone)
            {
                throw LlmAdapters.Native.NativeErrors.Incomplete(_providerName, "[DONE]", System.Net.HttpStatusCode.OK);
            }

            if (!finished)
            {
                throw LlmAdapters.Native.NativeErrors.Incomplete(_providerName, "a finish reason", System.Net.HttpStatusCode.OK);
            }
        }
    }
}
