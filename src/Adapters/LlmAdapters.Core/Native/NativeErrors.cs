// Licensed under the MIT License.

using System.Globalization;
using System.Net;

namespace LlmAdapters.Native;

/// <summary>The <see cref="ChatProviderException"/>s a native adapter throws for what the shared error rules cannot see.</summary>
public static class NativeErrors
{
    /// <summary>
    /// A successful response whose body is not the provider's dialect (another shape, a required member missing or null).
    /// Kind <see cref="ChatProviderErrorKind.Unknown"/>, not transient: the same kind as a body that is not JSON, since the
    /// provider answered something the adapter cannot read, and asking again (a misrouted endpoint, a proxy) gets the same answer.
    /// </summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="reason">What is wrong with the shape (never the body itself).</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException InvalidShape(string providerName, string reason, HttpStatusCode? statusCode = null) => new(
        ChatProviderErrorKind.Unknown,
        providerName,
        "The provider returned a response that is not in its API's shape: " + reason,
        statusCode)
    {
        IsTransient = false,
    };

    /// <summary>
    /// A successful response of the dialect's shape that carries no result (no content, no finish reason; see
    /// <see cref="NativeResults"/>), or a stream that reached its terminal event without one. Kind
    /// <see cref="ChatProviderErrorKind.Unknown"/>, not transient, like any answer the adapter cannot read.
    /// </summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException NoResult(string providerName, HttpStatusCode? statusCode = null) => new(
        ChatProviderErrorKind.Unknown,
        providerName,
        "The provider answered without a result: no content and no finish reason.",
        statusCode)
    {
        IsTransient = false,
    };

    /// <summary>A response body, or a streamed event, that is not valid UTF-8: <see cref="ChatProviderErrorKind.Unknown"/>, not transient.</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException InvalidUtf8(string providerName, HttpStatusCode? statusCode = null) =>
        InvalidShape(providerName, "it is not valid UTF-8.", statusCode);

    /// <summary>A stream that ended before the provider's terminal event: a cut connection, transient (<see cref="ChatProviderErrorKind.Unavailable"/>).</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="terminalEventName">The terminal event that did not come.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <param name="innerException">The exception that revealed it, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException Incomplete(string providerName, string terminalEventName, HttpStatusCode? statusCode, Exception? innerException = null) => new(
        ChatProviderErrorKind.Unavailable,
        providerName,
        "The stream ended before " + terminalEventName + ": the response is incomplete.",
        statusCode,
        innerException);

    /// <summary>A response body larger than <see cref="NativeTransportOptions.MaxResponseBytes"/>; not transient.</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="limit">The limit, in bytes.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException ResponseTooLarge(string providerName, long limit, HttpStatusCode? statusCode) => new(
        ChatProviderErrorKind.Unknown,
        providerName,
        "The response is larger than the limit of " + limit.ToString(CultureInfo.InvariantCulture) + " bytes (MaxResponseBytes); it was not read further.",
        statusCode)
    {
        IsTransient = false,
    };

    /// <summary>
    /// Masks an exact secret (the configured API key, key-shaped or not) in every string of an exception that comes from the
    /// provider: its message, error type and code, request id and raw body. <see cref="ChatProviderException"/> already masks
    /// key-shaped text; this adds the key the adapter knows.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="secret">The secret; nothing is done when it is null or shorter than 8 characters (see <see cref="SecretRedactor.Redact(string?, string?)"/>).</param>
    /// <returns><paramref name="exception"/> itself when it does not hold the secret; otherwise a copy with the secret masked.</returns>
    public static ChatProviderException RedactSecret(ChatProviderException exception, string? secret)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (secret is not { Length: >= 8 } ||
            !(Holds(exception.ProviderMessage, secret) || Holds(exception.RawBody, secret) || Holds(exception.RequestId, secret) ||
              Holds(exception.ErrorType, secret) || Holds(exception.ErrorCode, secret)))
        {
            return exception;
        }

        return new ChatProviderException(exception.Kind, exception.ProviderName, SecretRedactor.Redact(exception.ProviderMessage, secret), exception.StatusCode, exception.InnerException)
        {
            ErrorType = SecretRedactor.Redact(exception.ErrorType, secret),
            ErrorCode = SecretRedactor.Redact(exception.ErrorCode, secret),
            RequestId = SecretRedactor.Redact(exception.RequestId, secret),
            RetryAfter = exception.RetryAfter,
            IsTransient = exception.IsTransient,
            RawBody = SecretRedactor.Redact(exception.RawBody, secret),
        };
    }

    private static bool Holds(string? text, string secret) => SecretRedactor.Contains(text, secret);
}
