// Licensed under the MIT License.

using System.ClientModel;

namespace LlmAdapters.OpenAI;

/// <summary>Translation of the OpenAI SDK's failures into <see cref="ChatProviderException"/>.</summary>
public sealed partial class OpenAICompatibleChatClient
{
    /// <summary>
    /// Translates an exception thrown by the SDK into a <see cref="ChatProviderException"/>, or into the caller's
    /// <see cref="OperationCanceledException"/> when the caller cancelled (the SDK can mask it while disposing the response),
    /// or returns <see langword="null"/> to let it flow (the caller's own cancellation, programming errors).
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="responseStarted">Whether a response has begun to arrive (then a malformed value is the server's fault).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    private Exception? Translate(Exception exception, bool responseStarted, CancellationToken cancellationToken)
    {
        if (exception is ChatProviderException)
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return exception is OperationCanceledException ? null : new OperationCanceledException("The operation was canceled.", exception, cancellationToken);
        }

        if (exception is ClientResultException { Status: > 0 } clientResult)
        {
            var response = clientResult.GetRawResponse();
            string? body = null;
            try
            {
                body = response?.Content?.ToString();
            }
            catch (InvalidOperationException)
            {
                // The body of a streamed response was not buffered.
            }

            return ChatProviderErrors.FromStatus(
                _providerName,
                clientResult.Status,
                SecretRedactor.Redact(body, _apiKey),
                name => response is not null && response.Headers.TryGetValue(name, out var value) ? value : null,
                _timeProvider);
        }

        if (exception is ClientResultException)
        {
            // Status 0: the transport failed (HttpRequestException, IOException, the network timeout) before any response.
            return exception.InnerException is { } inner && ChatProviderErrors.FromException(_providerName, inner, cancellationToken) is { } fromInner
                ? fromInner
                : new ChatProviderException(ChatProviderErrorKind.Unavailable, _providerName, SecretRedactor.Redact(exception.Message, _apiKey));
        }

        if (responseStarted && exception is (InvalidOperationException and not ObjectDisposedException) or FormatException)
        {
            // A chunk that is JSON but not of the expected shape (a string where an object belongs).
            return new ChatProviderException(
                ChatProviderErrorKind.Unknown, _providerName, "The provider sent a chunk of an unexpected shape: " + exception.Message, null, exception)
            {
                IsTransient = false,
            };
        }

        // Network failures, the SDK's network timeout and malformed JSON (JsonException); null for anything else.
        return ChatProviderErrors.FromException(_providerName, exception, cancellationToken);
    }
}
