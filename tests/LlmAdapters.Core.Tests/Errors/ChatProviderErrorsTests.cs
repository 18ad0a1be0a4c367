// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Core.Tests.Errors;

public sealed class ChatProviderErrorsTests
{
    private static readonly Func<string, string?> s_noHeaders = static _ => null;

    /// <summary>status, type, code, message, expected kind, expected transient: every kind, in realistic shapes.</summary>
    public static TheoryData<int?, string?, string?, string?, ChatProviderErrorKind, bool> Classifications { get; } = new()
    {
        // RateLimited.
        { 429, "tokens", "rate_limit_exceeded", "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000.", ChatProviderErrorKind.RateLimited, true },
        { 429, "rate_limit_error", null, "This request would exceed your organization's rate limit of 20,000,000 prompt bytes per hour.", ChatProviderErrorKind.RateLimited, true },
        { 429, null, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later.", ChatProviderErrorKind.RateLimited, true },
        { 429, "RESOURCE_EXHAUSTED", "429", "You exceeded your current quota, please check your plan.", ChatProviderErrorKind.RateLimited, true },
        { null, null, "rate_limit_exceeded", null, ChatProviderErrorKind.RateLimited, true },

        // The quota rule: a 429 that waiting does not fix is RateLimited, not transient.
        { 429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", ChatProviderErrorKind.RateLimited, false },
        { 429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o on requests per day (RPD): Limit 10000, Used 10000.", ChatProviderErrorKind.RateLimited, false },
        { 429, null, null, "You exceeded your current quota, please check your plan and billing details.", ChatProviderErrorKind.RateLimited, false },

        // Overloaded.
        { 529, "overloaded_error", null, "Overloaded", ChatProviderErrorKind.Overloaded, true },
        { null, "overloaded_error", null, "Overloaded", ChatProviderErrorKind.Overloaded, true },
        { 503, "server_error", null, "The engine is currently overloaded, please try again later.", ChatProviderErrorKind.Overloaded, true },

        // Authentication.
        { 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-proj-****abcd.", ChatProviderErrorKind.Authentication, false },
        { 401, "authentication_error", null, "invalid x-api-key", ChatProviderErrorKind.Authentication, false },
        { 400, "INVALID_ARGUMENT", "400", "API key not valid. Please pass a valid API key.", ChatProviderErrorKind.InvalidRequest, false },
        { 401, null, "InvalidApiKey", "Invalid API-key provided.", ChatProviderErrorKind.Authentication, false },

        // PermissionDenied.
        { 403, "permission_error", null, "Your API key does not have permission to use the specified resource.", ChatProviderErrorKind.PermissionDenied, false },
        { 403, "PERMISSION_DENIED", "403", "Method doesn't allow unregistered callers.", ChatProviderErrorKind.PermissionDenied, false },
        { 403, null, "AccessDenied", "Access denied.", ChatProviderErrorKind.PermissionDenied, false },

        // ModelNotFound.
        { 404, "invalid_request_error", "model_not_found", "The model `gpt-9` does not exist or you do not have access to it.", ChatProviderErrorKind.ModelNotFound, false },
        { 404, "NotFoundError", "404", "The model `llama-3-70b` does not exist.", ChatProviderErrorKind.ModelNotFound, false },
        { 404, "not_found_error", null, "model: claude-9", ChatProviderErrorKind.ModelNotFound, false },
        { 404, null, null, "model 'llama3.3:70b' not found", ChatProviderErrorKind.ModelNotFound, false },
        { 404, null, "ModelNotFound", "Model not exist.", ChatProviderErrorKind.ModelNotFound, false },

        // ContextLengthExceeded.
        { 400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 tokens.", ChatProviderErrorKind.ContextLengthExceeded, false },
        { 400, "invalid_request_error", null, "prompt is too long: 215000 tokens > 200000 maximum", ChatProviderErrorKind.ContextLengthExceeded, false },
        { 400, "INVALID_ARGUMENT", "400", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).", ChatProviderErrorKind.ContextLengthExceeded, false },
        { 400, null, "InvalidParameter", "Range of input length should be [1, 30720]", ChatProviderErrorKind.ContextLengthExceeded, false },
        { 400, "BadRequestError", "400", "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.", ChatProviderErrorKind.ContextLengthExceeded, false },

        // ContentFiltered.
        { 400, null, "content_filter", "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", ChatProviderErrorKind.ContentFiltered, false },
        { 400, null, "DataInspectionFailed", "Input data may contain inappropriate content.", ChatProviderErrorKind.ContentFiltered, false },

        // InvalidRequest.
        { 400, "invalid_request_error", null, "messages.0.content.1: unexpected `tool_use_id` found in `tool_result` blocks", ChatProviderErrorKind.InvalidRequest, false },
        { 400, "BadRequestError", "400", "[{'type': 'extra_forbidden', 'loc': ('body', 'max_completion_tokens'), 'msg': 'Extra inputs are not permitted'}]", ChatProviderErrorKind.InvalidRequest, false },
        { 413, "request_too_large", null, "Request exceeds the maximum allowed number of bytes.", ChatProviderErrorKind.InvalidRequest, false },
        { 422, null, null, "Unprocessable Entity", ChatProviderErrorKind.InvalidRequest, false },
        { 400, null, "Arrearage", "Access denied, please make sure your account is in good standing.", ChatProviderErrorKind.InvalidRequest, false },

        // Timeout.
        { 408, null, null, "Request Timeout", ChatProviderErrorKind.Timeout, true },
        { 504, "DEADLINE_EXCEEDED", "504", "Deadline expired before operation could complete.", ChatProviderErrorKind.Timeout, true },
        { null, "timeout_error", null, "Request timed out", ChatProviderErrorKind.Timeout, true },

        // Unavailable.
        { 500, "server_error", null, "The server had an error while processing your request. Sorry about that!", ChatProviderErrorKind.Unavailable, true },
        { 502, null, null, "<html>502 Bad Gateway</html>", ChatProviderErrorKind.Unavailable, true },
        { 503, "UNAVAILABLE", "503", "The service is currently unavailable.", ChatProviderErrorKind.Unavailable, true },
        { 500, null, "InternalError", "An internal error has occured, please try again later.", ChatProviderErrorKind.Unavailable, true },
        { null, "api_error", null, "Internal server error", ChatProviderErrorKind.Unavailable, true },

        // Unknown.
        { null, null, null, null, ChatProviderErrorKind.Unknown, false },
        { 302, null, null, "Found", ChatProviderErrorKind.Unknown, false },
    };

    [Theory]
    [MemberData(nameof(Classifications))]
    public void Classify_RealisticError_ReturnsKindAndTransience(int? status, string? type, string? code, string? message, ChatProviderErrorKind kind, bool transient)
    {
        var result = ChatProviderErrors.Classify(status, type, code, message);

        Assert.Equal(kind, result.Kind);
        Assert.Equal(transient, result.IsTransient);
    }

    [Fact]
    public void Classify_EveryKind_IsReachable()
    {
        var reached = Classifications.Select(row => (ChatProviderErrorKind)row.Data.Item5).ToHashSet();

        Assert.Equal(Enum.GetValues<ChatProviderErrorKind>().ToHashSet(), reached);
    }

    /// <summary>fixture, default status, kind, transient, type, code, message start, request id, retry-after seconds.</summary>
    public static TheoryData<string, int, ChatProviderErrorKind, bool, string?, string?, string, string?, double?> RecordedErrors { get; } = new()
    {
        {
            "anthropic/error-400-invalid-request.json", 0, ChatProviderErrorKind.InvalidRequest, false, "invalid_request_error", null,
            "messages.0.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01GHndag5wQmbzNihYmV2UBj.", "req_011CYHyk9NPsBYeGbC9LuDNK", null
        },
        {
            "anthropic/error-429-rate-limit.json", 0, ChatProviderErrorKind.RateLimited, true, "rate_limit_error", null,
            "This request would exceed your organization's rate limit of 20,000,000 prompt bytes per hour", "req_011CYK5n67SytMUxm8WMZUWY", null
        },
        { "gemini/error-400-invalid-argument.json", 0, ChatProviderErrorKind.InvalidRequest, false, "INVALID_ARGUMENT", "400", "This model only supports text output.", null, null },
        {
            "gemini/error-400-missing-thought-signature.json", 0, ChatProviderErrorKind.InvalidRequest, false, "INVALID_ARGUMENT", "400",
            "Function call is missing a thought_signature in functionCall parts.", null, null
        },
        {
            "gemini/error-404-model-not-found.json", 0, ChatProviderErrorKind.ModelNotFound, false, "NOT_FOUND", "404",
            "models/wrong-model-name is not found for API version v1beta, or is not supported for generateContent. Call ListModels to", null, null
        },
        { "gemini/error-429-resource-exhausted.json", 0, ChatProviderErrorKind.RateLimited, true, "RESOURCE_EXHAUSTED", "429", "You exceeded your current quota, please check your plan.", null, 34.4 },
        { "dashscope/native-error-401-invalid-api-key.json", 0, ChatProviderErrorKind.Authentication, false, null, "InvalidApiKey", "Invalid API-key provided.", "fb53c4ec-0000-0000-0000-000000000000", null },
        { "ollama/error-404-model-not-found.json", 0, ChatProviderErrorKind.ModelNotFound, false, null, null, "model 'llama3.3:70b' not found", null, null },
        { "openai/error-404-vllm-model.json", 404, ChatProviderErrorKind.ModelNotFound, false, "NotFoundError", "404", "The model `llama-3-70b` does not exist.", null, null },
        {
            "openai/vllm-error-400-extra-forbidden.json", 0, ChatProviderErrorKind.InvalidRequest, false, "BadRequestError", "400",
            "[{'type': 'extra_forbidden', 'loc': ('body', 'max_completion_tokens'), 'msg': 'Extra inputs are not permitted', 'input': 8192}]", null, null
        },
        {
            "openai/error-400-content-filter.json", 400, ChatProviderErrorKind.ContentFiltered, false, null, "content_filter",
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", null, null
        },
        { "openai/error-429-insufficient-quota.json", 429, ChatProviderErrorKind.RateLimited, false, "insufficient_quota", "insufficient_quota", "You exceeded your current quota", null, null },
        { "openai/error-500-server.json", 500, ChatProviderErrorKind.Unavailable, true, "server_error", null, "The server had an error while processing your request.", null, null },
        { "openai/error-503-overloaded.json", 503, ChatProviderErrorKind.Overloaded, true, "server_error", null, "The engine is currently overloaded", null, null },
    };

    [Theory]
    [MemberData(nameof(RecordedErrors))]
    public void FromStatus_RecordedError_ReadsEnvelope(
        string file, int status, ChatProviderErrorKind kind, bool transient, string? type, string? code, string messageStart, string? requestId, double? retryAfterSeconds)
    {
        var recorded = RecordedError.Load(file, status);

        var ex = ChatProviderErrors.FromStatus("p", recorded.Status, recorded.Body, recorded.Header, TimeProvider.System);

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal((HttpStatusCode)recorded.Status, ex.StatusCode);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal(code, ex.ErrorCode);
        Assert.StartsWith(messageStart, ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Contains(messageStart, ex.Message, StringComparison.Ordinal);
        Assert.Equal(requestId, ex.RequestId);
        Assert.Equal(retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, ex.RetryAfter);
        Assert.Equal("p", ex.ProviderName);
        Assert.Equal(recorded.Body, ex.RawBody);
    }

    [Fact]
    public void FromStatus_GeminiPerDayQuota_NotTransient()
    {
        var recorded = RecordedError.Load("gemini/error-429-resource-exhausted.json", 0);
        var perDay = recorded.Body.Replace("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "GenerateRequestsPerDayPerProjectPerModel-FreeTier", StringComparison.Ordinal);
        Assert.NotEqual(recorded.Body, perDay);

        var ex = ChatProviderErrors.FromStatus("gemini", 429, perDay, s_noHeaders, TimeProvider.System);

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(34.4), ex.RetryAfter);
    }

    [Fact]
    public void FromStatus_OpenAIRateLimitHeaders_ReadsRetryAfterAndRequestId()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["retry-after"] = "2",
            ["x-ratelimit-limit-tokens"] = "30000",
            ["x-ratelimit-remaining-tokens"] = "0",
            ["x-ratelimit-reset-tokens"] = "2s",
            ["x-request-id"] = "req_7a1c2e",
        };

        var ex = ChatProviderErrors.FromStatus("openai", 429, Fixture.Text("openai/error-429-rate-limit.json"), n => headers.GetValueOrDefault(n), TimeProvider.System);

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Equal("req_7a1c2e", ex.RequestId);
        Assert.Equal("rate_limit_exceeded", ex.ErrorCode);
        Assert.Equal("tokens", ex.ErrorType);
        Assert.Contains("Retry after 2 s.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Request id: req_7a1c2e.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x-request-id", "req_1")]
    [InlineData("request-id", "req_2")]
    [InlineData("x-dashscope-request-id", "ds-3")]
    [InlineData("x-goog-request-id", "g-4")]
    [InlineData("req-id", "r-5")]
    public void FromStatus_RequestIdHeader_Read(string header, string value)
    {
        var ex = ChatProviderErrors.FromStatus("p", 500, null, n => string.Equals(n, header, StringComparison.OrdinalIgnoreCase) ? value : null, TimeProvider.System);

        Assert.Equal(value, ex.RequestId);
        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal("InternalServerError", ex.ProviderMessage);
    }

    [Fact]
    public void FromStatus_BodyRequestIdWinsOverHeader()
    {
        var ex = ChatProviderErrors.FromStatus("anthropic", 529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_body"}""", _ => "req_header", TimeProvider.System);

        Assert.Equal("req_body", ex.RequestId);
        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal("Overloaded", ex.ProviderMessage);
    }

    [Fact]
    public async Task FromResponseAsync_HttpResponse_ReadsStatusBodyAndHeaders()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent(Fixture.Text("anthropic/error-429-rate-limit.json"), Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("retry-after", "Mon, 23 Nov 2026 12:00:10 GMT");
        response.Headers.TryAddWithoutValidation("request-id", "req_header");

        var ex = await ChatProviderErrors.FromResponseAsync("anthropic", response, time, TestContext.Current.CancellationToken);

        // The recording's envelope is {status, headers, body}: read as a body, it has no "error" at the root.
        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
        Assert.Equal("req_header", ex.RequestId);
    }

    [Fact]
    public void FromErrorPayload_AnthropicStreamError_OverloadedWithoutStatus()
    {
        var ex = ChatProviderErrors.FromErrorPayload("anthropic", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");

        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Equal("overloaded_error", ex.ErrorType);
        Assert.Equal("Overloaded", ex.ProviderMessage);
        Assert.Equal("anthropic request failed: Overloaded (overloaded_error): Overloaded", ex.Message);
    }

    [Fact]
    public void FromErrorPayload_WithStatus_UsesIt()
    {
        var ex = ChatProviderErrors.FromErrorPayload("vllm", """{"object":"error","message":"boom","type":"InternalServerError","code":500}""", 500);

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("500", ex.ErrorCode);
    }

    [Fact]
    public void FromException_EachFailure_MapsToKind()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Null(ChatProviderErrors.FromException("p", new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.Null(ChatProviderErrors.FromException("p", new TaskCanceledException(), cancelled.Token));
        Assert.Null(ChatProviderErrors.FromException("p", new ChatProviderException(ChatProviderErrorKind.Timeout, "p", null), CancellationToken.None));
        Assert.Null(ChatProviderErrors.FromException("p", new InvalidOperationException("bug"), CancellationToken.None));

        var timeout = ChatProviderErrors.FromException("p", new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Timeout, timeout?.Kind);
        Assert.True(timeout?.IsTransient);

        var withStatus = ChatProviderErrors.FromException("p", new HttpRequestException("Response status code does not indicate success: 503 (Service Unavailable).", null, HttpStatusCode.ServiceUnavailable), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Unavailable, withStatus?.Kind);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withStatus?.StatusCode);

        var unauthorized = ChatProviderErrors.FromException("p", new HttpRequestException("401", null, HttpStatusCode.Unauthorized), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Authentication, unauthorized?.Kind);
        Assert.False(unauthorized?.IsTransient);

        var refused = ChatProviderErrors.FromException("p", new HttpRequestException("Connection refused (localhost:11434)"), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Unavailable, refused?.Kind);
        Assert.True(refused?.IsTransient);
        Assert.IsType<HttpRequestException>(refused?.InnerException);

        var reset = ChatProviderErrors.FromException("p", new IOException("Connection reset by peer."), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Unavailable, reset?.Kind);

        var json = ChatProviderErrors.FromException("p", new JsonException("'<' is an invalid start of a value."), CancellationToken.None);
        Assert.Equal(ChatProviderErrorKind.Unknown, json?.Kind);
        Assert.False(json?.IsTransient);
    }
}
