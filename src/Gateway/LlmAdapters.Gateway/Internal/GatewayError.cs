// Licensed under the MIT License.

using System.Globalization;
using LlmAdapters.Cost;

namespace LlmAdapters.Gateway;

/// <summary>
/// A failure as both wires say it: the HTTP status, OpenAI's error <c>type</c> and <c>code</c>, Anthropic's error
/// <c>type</c>, a message that carries nothing secret, and the <c>Retry-After</c> to send.
/// </summary>
internal sealed record GatewayError(int Status, string OpenAIType, string? Code, string AnthropicType, string Message, TimeSpan? RetryAfter = null)
{
    public static GatewayError BadRequest(string message, string? code = null) => new(400, "invalid_request_error", code, "invalid_request_error", message);

    public static GatewayError Unauthorized(string message) => new(401, "authentication_error", "invalid_api_key", "authentication_error", message);

    public static GatewayError Forbidden(string message) => new(403, "permission_error", "model_not_allowed", "permission_error", message);

    public static GatewayError NotFound(string message) => new(404, "invalid_request_error", "model_not_found", "not_found_error", message);

    public static GatewayError TooLarge(string message) => new(413, "invalid_request_error", "request_too_large", "request_too_large", message);

    /// <summary>The error a failed call becomes: the taxonomy's kind decides the status and types.</summary>
    public static GatewayError From(Exception exception, TimeProvider time)
    {
        switch (exception)
        {
            case BudgetExceededException budget:
                var retry = budget.ResetsAt is { } resets ? resets - time.GetUtcNow() : (TimeSpan?)null;
                return new(429, "insufficient_quota", "budget_exceeded", "rate_limit_error",
                    $"The budget '{budget.LimitName}' of {budget.Limit.ToString("0.00######", CultureInfo.InvariantCulture)} USD is spent.",
                    retry is { Ticks: > 0 } r ? r : null);
            case ChatProviderException provider:
                // The message names the provider and kind, with the provider's own (redacted) message.
                var message = provider.Message;
                return provider.Kind switch
                {
                    ChatProviderErrorKind.Authentication => new(401, "authentication_error", "invalid_api_key", "authentication_error", message),
                    ChatProviderErrorKind.PermissionDenied => new(403, "permission_error", null, "permission_error", message),
                    ChatProviderErrorKind.ModelNotFound => new(404, "invalid_request_error", "model_not_found", "not_found_error", message),
                    ChatProviderErrorKind.ContextLengthExceeded => new(400, "invalid_request_error", "context_length_exceeded", "invalid_request_error", message),
                    ChatProviderErrorKind.ContentFiltered => new(400, "invalid_request_error", "content_filter", "invalid_request_error", message),
                    ChatProviderErrorKind.InvalidRequest => new(400, "invalid_request_error", provider.ErrorCode, "invalid_request_error", message),
                    ChatProviderErrorKind.RateLimited => new(429, "rate_limit_error", "rate_limit_exceeded", "rate_limit_error", message, provider.RetryAfter ?? TimeSpan.FromSeconds(1)),
                    ChatProviderErrorKind.Overloaded => new(503, "server_error", "overloaded", "overloaded_error", message, provider.RetryAfter),
                    ChatProviderErrorKind.Unavailable => new(502, "server_error", "upstream_unavailable", "api_error", message, provider.RetryAfter),
                    ChatProviderErrorKind.Timeout => new(504, "server_error", "timeout", "api_error", message),
                    _ => new(500, "server_error", null, "api_error", message),
                };
            case TimeoutException:
                return new(504, "server_error", "timeout", "api_error", "The provider did not answer in time.");
            default:
                // Not a provider failure: say nothing of its text (it may hold anything); the operator's log has it.
                return new(500, "server_error", null, "api_error", "The gateway failed to serve the request.");
        }
    }

    /// <summary>Gets the <c>Retry-After</c> header value in whole seconds (at least 1), or <see langword="null"/>.</summary>
    public string? RetryAfterHeader => RetryAfter is { } after ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
}
