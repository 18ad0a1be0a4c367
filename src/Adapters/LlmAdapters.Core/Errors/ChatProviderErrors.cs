// Licensed under the MIT License.

using System.Net;
using System.Text.Json;

namespace LlmAdapters;

/// <summary>
/// Builds <see cref="ChatProviderException"/>s: from an HTTP error response, from a status and body, or from a
/// network failure. The one place where provider error shapes meet the taxonomy.
/// </summary>
public static class ChatProviderErrors
{
    private static readonly string[] s_requestIdHeaders = ["x-request-id", "request-id", "x-dashscope-request-id", "x-goog-request-id", "req-id"];

    /// <summary>Builds the exception for an HTTP response whose status is not a success, reading (and disposing) its body.</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="response">The failed response.</param>
    /// <param name="timeProvider">The clock used to read HTTP-date <c>Retry-After</c> values.</param>
    /// <param name="cancellationToken">The token to cancel reading the body.</param>
    /// <returns>The exception to throw.</returns>
    public static async Task<ChatProviderException> FromResponseAsync(
        string providerName, HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? body = null;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status is what matters; a body cut short is left out.
        }

        return FromStatus(providerName, (int)response.StatusCode, body, name => RetryAfterParser.GetHeader(response, name), timeProvider);
    }

    /// <summary>Builds the exception for an HTTP status, a body and headers, as returned by any HTTP stack.</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="body">The response body, if any.</param>
    /// <param name="getHeader">Returns the first value of a response header by name, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock used to read HTTP-date <c>Retry-After</c> values.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException FromStatus(
        string providerName, int status, string? body, Func<string, string?> getHeader, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        var info = ProviderErrorInfo.Parse(body);
        var (kind, transient) = Classify(status, info.Type, info.Code, info.Message);

        // Gemini names the exhausted quota in its QuotaFailure details (quotaId ...PerDay... or ...PerMinute...):
        // a daily quota is not refilled by waiting, a per-minute one is (its RetryInfo says when).
        if (kind == ChatProviderErrorKind.RateLimited && transient && body is not null && body.Contains("PerDay", StringComparison.Ordinal))
        {
            transient = false;
        }

        string? requestId = info.RequestId;
        foreach (var header in s_requestIdHeaders)
        {
            requestId ??= getHeader(header);
        }

        // A proxy's error page (HTML) says nothing a person reads in a log line: the status speaks, the page stays in RawBody.
        var message = LooksLikeHtml(info.Message)
            ? $"{ReasonPhrase(status) ?? "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture)} (the response is an HTML page, not the provider's JSON; see RawBody)"
            : info.Message ?? ReasonPhrase(status);
        return new ChatProviderException(kind, providerName, message, (HttpStatusCode)status)
        {
            ErrorType = info.Type,
            ErrorCode = info.Code,
            RequestId = requestId,
            RetryAfter = RetryAfterParser.Parse(getHeader, timeProvider) ?? info.RetryAfter,
            IsTransient = transient,
            RawBody = body,
        };
    }

    /// <summary>Builds the exception for an error the provider reported inside a successful response (an SSE <c>error</c> event).</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="errorJson">The JSON of the error event.</param>
    /// <param name="status">The HTTP status the same error would have had, when known.</param>
    /// <returns>The exception to throw.</returns>
    public static ChatProviderException FromErrorPayload(string providerName, string errorJson, int? status = null)
    {
        var info = ProviderErrorInfo.Parse(errorJson);
        var (kind, transient) = Classify(status, info.Type, info.Code, info.Message);
        return new ChatProviderException(kind, providerName, info.Message, status is { } s ? (HttpStatusCode)s : null)
        {
            ErrorType = info.Type,
            ErrorCode = info.Code,
            RequestId = info.RequestId,
            RetryAfter = info.RetryAfter,
            IsTransient = transient,
            RawBody = errorJson,
        };
    }

    /// <summary>
    /// Translates an exception thrown while talking to a provider into the taxonomy: network failures become
    /// <see cref="ChatProviderErrorKind.Unavailable"/>, a timeout that is not the caller's cancellation becomes
    /// <see cref="ChatProviderErrorKind.Timeout"/>, a body that is not valid JSON becomes <see cref="ChatProviderErrorKind.Unknown"/>.
    /// </summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token: when it is cancelled, <see langword="null"/> is returned so that the caller's <see cref="OperationCanceledException"/> flows unchanged.</param>
    /// <returns>The exception to throw instead, or <see langword="null"/> when <paramref name="exception"/> should flow unchanged.</returns>
    public static ChatProviderException? FromException(string providerName, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case ChatProviderException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException:
                return new ChatProviderException(ChatProviderErrorKind.Timeout, providerName, "The request timed out.", null, exception);
            case HttpRequestException { StatusCode: { } status } http:
                return new ChatProviderException(Classify((int)status, null, null, null).Kind, providerName, http.Message, status, exception);
            case HttpRequestException or IOException:
                return new ChatProviderException(ChatProviderErrorKind.Unavailable, providerName, "The provider could not be reached or closed the connection: " + exception.Message, null, exception);
            case JsonException:
                return new ChatProviderException(ChatProviderErrorKind.Unknown, providerName, "The provider returned a response that is not valid JSON: " + exception.Message, null, exception)
                {
                    IsTransient = false,
                };
            default:
                return null;
        }
    }

    /// <summary>
    /// Classifies a provider error from its status, type, code and message. The rules cover OpenAI, vLLM, Anthropic,
    /// Gemini, DashScope and Ollama; docs/providers.md lists them.
    /// </summary>
    /// <param name="status">The HTTP status, if any.</param>
    /// <param name="type">The provider's error type or status word, if any.</param>
    /// <param name="code">The provider's error code, if any.</param>
    /// <param name="message">The provider's message, if any.</param>
    /// <returns>The kind, and whether waiting may help.</returns>
    public static (ChatProviderErrorKind Kind, bool IsTransient) Classify(int? status, string? type, string? code, string? message)
    {
        var kind = ClassifyKind(status, type, code, message);

        // An exhausted quota or an unpaid account is a 429 that no amount of waiting fixes. Gemini says "You exceeded
        // your current quota" for per-minute limits too: FromStatus decides those from the body's QuotaFailure.
        var quota = Is(code, "insufficient_quota") || Is(code, "Arrearage") || Is(type, "insufficient_quota") ||
                    Contains(message, "per day") || Contains(message, "PerDay") ||
                    (Contains(message, "exceeded your current quota") && !Is(type, "RESOURCE_EXHAUSTED"));
        return (kind, ChatProviderException.IsTransientKind(kind) && !(kind == ChatProviderErrorKind.RateLimited && quota));
    }

    private static ChatProviderErrorKind ClassifyKind(int? status, string? type, string? code, string? message)
    {
        if (Is(code, "context_length_exceeded") || Is(code, "string_above_max_length") ||
            Contains(message, "maximum context length") || Contains(message, "context window") || Contains(message, "context length") ||
            Contains(message, "prompt is too long") || Contains(message, "input token count") || Contains(message, "Range of input length"))
        {
            return ChatProviderErrorKind.ContextLengthExceeded;
        }

        if (Is(code, "content_filter") || Is(code, "content_policy_violation") || Is(code, "DataInspectionFailed") ||
            Is(code, "data_inspection_failed") || Contains(message, "content management policy") || Contains(message, "inappropriate content"))
        {
            return ChatProviderErrorKind.ContentFiltered;
        }

        if (Is(code, "model_not_found") || Is(code, "ModelNotFound") || Is(code, "model_not_supported") ||
            (status == 404 && (Contains(message, "model") || Is(type, "NOT_FOUND") || Is(type, "not_found_error"))) ||
            (Is(type, "NotFoundError") && Contains(message, "model")))
        {
            return ChatProviderErrorKind.ModelNotFound;
        }

        if (Is(code, "invalid_api_key") || Is(code, "InvalidApiKey") || Is(type, "authentication_error") || Is(type, "UNAUTHENTICATED") || status == 401)
        {
            return ChatProviderErrorKind.Authentication;
        }

        if (Is(type, "permission_error") || Is(type, "PERMISSION_DENIED") || Is(code, "AccessDenied") || status == 403)
        {
            return ChatProviderErrorKind.PermissionDenied;
        }

        if (Is(type, "overloaded_error") || status == 529 || (status is 503 or 500 && Contains(message, "overloaded")))
        {
            return ChatProviderErrorKind.Overloaded;
        }

        if (Is(type, "rate_limit_error") || Is(code, "rate_limit_exceeded") || Is(type, "RESOURCE_EXHAUSTED") ||
            StartsWith(code, "Throttling") || Is(code, "insufficient_quota") || status == 429)
        {
            return ChatProviderErrorKind.RateLimited;
        }

        if (Is(type, "DEADLINE_EXCEEDED") || Is(type, "timeout_error") || status is 408 or 504)
        {
            return ChatProviderErrorKind.Timeout;
        }

        if (status is 400 or 404 or 405 or 409 or 413 or 415 or 422 || Is(type, "invalid_request_error") || Is(type, "INVALID_ARGUMENT") ||
            Is(type, "request_too_large") || Is(code, "InvalidParameter") || Is(type, "BadRequestError"))
        {
            return ChatProviderErrorKind.InvalidRequest;
        }

        if (status >= 500 || Is(type, "api_error") || Is(type, "server_error") || Is(type, "UNAVAILABLE") || Is(type, "INTERNAL") || Is(code, "InternalError"))
        {
            return ChatProviderErrorKind.Unavailable;
        }

        return ChatProviderErrorKind.Unknown;
    }

    private static bool LooksLikeHtml(string? text) =>
        text is not null && text.StartsWith('<') &&
        (text.Contains("<html", StringComparison.OrdinalIgnoreCase) || text.Contains("<!doctype", StringComparison.OrdinalIgnoreCase) ||
         text.Contains("<body", StringComparison.OrdinalIgnoreCase) || text.Contains("<head", StringComparison.OrdinalIgnoreCase));

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static bool StartsWith(string? value, string prefix) => value is not null && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? value, string part) => value is not null && value.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? ReasonPhrase(int status) => status switch
    {
        529 => "Overloaded",
        _ => Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString() : null,
    };
}
