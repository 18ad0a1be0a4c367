// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;

namespace LlmAdapters.OpenAI;

/// <summary>Translation of the OpenAI SDK's failures into <see cref="ChatProviderException"/>.</summary>
public sealed partial class OpenAICompatibleChatClient
{
    /// <summary>
    /// Translates an exception thrown by the SDK into a <see cref="ChatProviderException"/>, or into the caller's
    /// <see cref="OperationCanceledException"/> when the caller cancelled (the SDK can mask it while disposing the response),
    /// or returns <see langword="null"/> to let it flow (the caller's own cancellation). Never throws: it runs in a catch
    /// block, and a failure here must not replace the provider's error with another.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/>.</returns>
    private Exception? Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ChatProviderException)
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return exception is OperationCanceledException ? null : new OperationCanceledException("The operation was canceled.", exception, cancellationToken);
        }

        try
        {
            return TranslateCore(exception, cancellationToken);
        }
#pragma warning disable CA1031 // The last line of defence: whatever went wrong reading the failure, the caller still gets the taxonomy.
        catch (Exception readFailure)
#pragma warning restore CA1031
        {
            return new ChatProviderException(
                ChatProviderErrorKind.Unknown, _providerName, "The provider's failure could not be read: " + SecretRedactor.Redact(readFailure.Message, _apiKey))
            {
                IsTransient = false,
            };
        }
    }

    private ChatProviderException TranslateCore(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ClientResultException { Status: > 0 } clientResult)
        {
            var response = clientResult.GetRawResponse();
            return ChatProviderErrors.FromStatus(
                _providerName,
                clientResult.Status,
                SecretRedactor.Redact(ReadBody(response), _apiKey),
                name => response is not null && response.Headers.TryGetValue(name, out var value) ? SecretRedactor.Redact(value, _apiKey) : null,
                _timeProvider);
        }

        if (exception is ClientResultException)
        {
            // Status 0: the transport failed (HttpRequestException, IOException, the network timeout) before any response.
            return exception.InnerException is { } inner && ChatProviderErrors.FromException(_providerName, inner, cancellationToken) is { } fromInner
                ? fromInner
                : new ChatProviderException(ChatProviderErrorKind.Unavailable, _providerName, SecretRedactor.Redact(exception.Message, _apiKey));
        }

        if (ChatProviderErrors.FromException(_providerName, exception, cancellationToken) is { } known)
        {
            // Network failures, the SDK's network timeout and malformed JSON.
            return known;
        }

        // Everything else the SDK throws while reading an answer (InvalidOperationException, ArgumentException,
        // NullReferenceException, FormatException, InvalidCastException, KeyNotFoundException…) means a response of
        // an unexpected shape: the arguments were checked before the call, so the server is the one at fault.
        return new ChatProviderException(
            ChatProviderErrorKind.Unknown,
            _providerName,
            "The provider sent a response of an unexpected shape: " + SecretRedactor.Redact(exception.Message, _apiKey),
            null,
            exception)
        {
            IsTransient = false,
        };
    }

    private static string? ReadBody(PipelineResponse? response)
    {
        try
        {
            return response?.Content?.ToString();
        }
        catch (InvalidOperationException)
        {
            // The body of a streamed response was not buffered.
            return null;
        }
    }
}
