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
        var enumerator = _inner.GetStreamingResponseAsync(messages, ExtraBodyFields.Apply(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            var started = false;
            var finished = false;
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex)
                {
                    if (Translate(ex, cancellationToken) is not { } translated)
            {
                throw;
            }

            throw translated;
                }

                started = true;
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
                yield return update;
            }

            if (!finished)
            {
                // A closed connection ends an SSE stream as quietly as a finished answer: without a finish reason the
                // answer is probably cut short, and a silent success would hand a truncated answer to the caller.
                throw new ChatProviderException(
                    ChatProviderErrorKind.Unavailable,
                    _providerName,
                    started ? "The stream ended before the provider sent a finish reason." : "The stream ended before the provider sent anything.");
            }
        }
    }
}
