// Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Text;

namespace LlmAdapters;

/// <summary>
/// The one exception every LlmAdapters provider throws for a failed call: a rate limit, an overload, a bad key,
/// a missing model, a prompt that is too long, filtered content, a malformed request, a timeout or an outage.
/// </summary>
/// <remarks>
/// <para>
/// The <see cref="Kind"/> is the same for every provider, so retry, fallback and alerting code is written once.
/// The provider's own error type, code and message are kept in <see cref="ErrorType"/>, <see cref="ErrorCode"/> and
/// <see cref="ProviderMessage"/>.
/// </para>
/// <para>
/// Sensitive data: the message, <see cref="ProviderMessage"/>, <see cref="RawBody"/>, <see cref="RequestId"/>, <see cref="ErrorType"/> and <see cref="ErrorCode"/> pass through
/// <see cref="SecretRedactor"/>, so an API key echoed by a server never reaches a log. Nothing is put in <see cref="Exception.Data"/>.
/// </para>
/// </remarks>
public sealed class ChatProviderException : HttpRequestException
{
    /// <summary>The largest number of characters of the response body that <see cref="RawBody"/> keeps.</summary>
    public const int MaxRawBodyLength = 4096;

    /// <summary>The largest number of characters of the provider's message that <see cref="ProviderMessage"/> (and so <see cref="Message"/>) keeps.</summary>
    public const int MaxProviderMessageLength = 512;

    // Request ids, error types and codes are short words; anything longer is not one and is cut.
    private const int MaxFieldLength = 256;

    private readonly string? _providerMessage;
    private readonly string? _rawBody;
    private readonly string? _errorType;
    private readonly string? _errorCode;
    private readonly string? _requestId;

    /// <summary>Initializes a new instance of the <see cref="ChatProviderException"/> class.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <param name="providerName">The provider that failed, e.g. <c>openai</c> or <c>anthropic</c>.</param>
    /// <param name="providerMessage">The provider's own error message, if any. It is redacted.</param>
    /// <param name="statusCode">The HTTP status code of the response, if one was received.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="providerName"/> is null or white space.</exception>
    public ChatProviderException(
        ChatProviderErrorKind kind,
        string providerName,
        string? providerMessage,
        HttpStatusCode? statusCode = null,
        Exception? innerException = null)
        : base(string.Empty, innerException, statusCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        Kind = kind;
        ProviderName = providerName;
        _providerMessage = Truncate(SecretRedactor.Redact(providerMessage), MaxProviderMessageLength);
        IsTransient = IsTransientKind(kind);
    }

    /// <summary>Gets the machine-readable kind of failure.</summary>
    public ChatProviderErrorKind Kind { get; }

    /// <summary>Gets the name of the provider that failed, e.g. <c>openai</c>, <c>vllm</c> or <c>anthropic</c>.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the provider's error type (OpenAI <c>error.type</c>, Anthropic <c>error.type</c>, Gemini <c>error.status</c>), if any.</summary>
    public string? ErrorType
    {
        get => _errorType;
        init => _errorType = Truncate(SecretRedactor.Redact(value), MaxFieldLength);
    }

    /// <summary>Gets the provider's error code (OpenAI <c>error.code</c>, DashScope <c>code</c>), if any.</summary>
    public string? ErrorCode
    {
        get => _errorCode;
        init => _errorCode = Truncate(SecretRedactor.Redact(value), MaxFieldLength);
    }

    /// <summary>Gets the provider's own error message, redacted and cut to <see cref="MaxProviderMessageLength"/> characters, if any.</summary>
    public string? ProviderMessage => _providerMessage;

    /// <summary>Gets the provider's request id (<c>x-request-id</c>, <c>request-id</c>, body <c>request_id</c>), redacted, if any.</summary>
    public string? RequestId
    {
        get => _requestId;
        init => _requestId = Truncate(SecretRedactor.Redact(value), MaxFieldLength);
    }

    /// <summary>Gets how long the provider asked the caller to wait before trying again, if it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Gets a value indicating whether trying the same request again later may succeed.
    /// </summary>
    /// <value>By default <see langword="true"/> for <see cref="ChatProviderErrorKind.RateLimited"/>, <see cref="ChatProviderErrorKind.Overloaded"/>,
    /// <see cref="ChatProviderErrorKind.Timeout"/> and <see cref="ChatProviderErrorKind.Unavailable"/>; an adapter sets it to
    /// <see langword="false"/> where the provider says waiting will not help (an exhausted quota).</value>
    public bool IsTransient { get; init; }

    /// <summary>
    /// Gets the start of the response body (at most <see cref="MaxRawBodyLength"/> characters), redacted, if one was received.
    /// </summary>
    public string? RawBody
    {
        get => _rawBody;
        init => _rawBody = Truncate(SecretRedactor.Redact(value), MaxRawBodyLength);
    }

    /// <inheritdoc/>
    public override string Message
    {
        get
        {
            var builder = new StringBuilder(128);
            builder.Append(ProviderName).Append(" request failed: ").Append(Kind);
            if (StatusCode is { } status)
            {
                builder.Append(" (HTTP ").Append(((int)status).ToString(CultureInfo.InvariantCulture));
                if (ErrorType is not null || ErrorCode is not null)
                {
                    builder.Append(", ").Append(ErrorCode ?? ErrorType);
                }

                builder.Append(')');
            }
            else if (ErrorType is not null || ErrorCode is not null)
            {
                builder.Append(" (").Append(ErrorCode ?? ErrorType).Append(')');
            }

            if (!string.IsNullOrEmpty(_providerMessage))
            {
                builder.Append(": ").Append(_providerMessage);
            }

            if (RetryAfter is { } retryAfter)
            {
                builder.Append(" Retry after ").Append(retryAfter.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(" s.");
            }

            if (RequestId is not null)
            {
                builder.Append(" Request id: ").Append(RequestId).Append('.');
            }

            // ErrorType, ErrorCode and RequestId come from the response too.
            return SecretRedactor.Redact(builder.ToString())!;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Redacted like <see cref="Message"/>: inner exceptions (a transport error quoting a URL with <c>?key=</c>) are not otherwise cleaned.</remarks>
    public override string ToString() => SecretRedactor.Redact(base.ToString())!;

    /// <summary>
    /// Returns a copy with the given members changed and every other one kept (status, error type and code, retry delay, raw
    /// body, inner exception): how an adapter refines what the shared rules built, without copying members one by one.
    /// </summary>
    /// <param name="kind">The new kind, or <see langword="null"/> to keep it.</param>
    /// <param name="isTransient">Whether waiting may help, or <see langword="null"/> to keep <see cref="IsTransient"/> as it is (even when the kind changes).</param>
    /// <param name="providerMessage">The new provider message (redacted and cut like any), or <see langword="null"/> to keep it.</param>
    /// <param name="requestId">The request id, or <see langword="null"/> to keep it.</param>
    /// <returns>The copy.</returns>
    public ChatProviderException With(ChatProviderErrorKind? kind = null, bool? isTransient = null, string? providerMessage = null, string? requestId = null) =>
        new(kind ?? Kind, ProviderName, providerMessage ?? ProviderMessage, StatusCode, InnerException)
        {
            ErrorType = ErrorType,
            ErrorCode = ErrorCode,
            RequestId = requestId ?? RequestId,
            RetryAfter = RetryAfter,
            IsTransient = isTransient ?? IsTransient,
            RawBody = RawBody,
        };

    /// <summary>Gets whether a kind is transient by default.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> for rate limits, overloads, timeouts and outages.</returns>
    public static bool IsTransientKind(ChatProviderErrorKind kind) => kind is
        ChatProviderErrorKind.RateLimited or
        ChatProviderErrorKind.Overloaded or
        ChatProviderErrorKind.Timeout or
        ChatProviderErrorKind.Unavailable;

    private static string? Truncate(string? value, int maxLength) =>
        value is not null && value.Length > maxLength ? string.Concat(value.AsSpan(0, maxLength), "…") : value;
}
