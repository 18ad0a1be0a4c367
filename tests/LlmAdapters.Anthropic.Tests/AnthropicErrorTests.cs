// Licensed under the MIT License.

using System.Globalization;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>HTTP status and error.type to the taxonomy; Retry-After and request id.</summary>
public sealed class AnthropicErrorTests
{
    private static string Envelope(string type, string message) =>
        $$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"req_body_1"}""";

    [Theory]
    [InlineData(400, "invalid_request_error", "max_tokens: field required", ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", ChatProviderErrorKind.ContextLengthExceeded, false)]
    [InlineData(401, "authentication_error", "invalid x-api-key", ChatProviderErrorKind.Authentication, false)]
    [InlineData(402, "billing_error", "Your credit balance is too low", ChatProviderErrorKind.PermissionDenied, false)]
    [InlineData(403, "permission_error", "Your API key does not have permission", ChatProviderErrorKind.PermissionDenied, false)]
    [InlineData(404, "not_found_error", "model: claude-nope", ChatProviderErrorKind.ModelNotFound, false)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ChatProviderErrorKind.RateLimited, true)]
    [InlineData(500, "api_error", "Internal server error", ChatProviderErrorKind.Unavailable, true)]
    [InlineData(504, "timeout_error", "Request timed out", ChatProviderErrorKind.Timeout, true)]
    [InlineData(529, "overloaded_error", "Overloaded", ChatProviderErrorKind.Overloaded, true)]
    [InlineData(500, "overloaded_error", "Overloaded", ChatProviderErrorKind.Overloaded, true)]
    public async Task GetResponseAsync_ErrorStatusAndType_MapsToKind(int status, string type, string message, ChatProviderErrorKind kind, bool transient)
    {
        using var client = CreateClient(Respond((HttpStatusCode)status, Envelope(type, message)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(status, (int)ex.StatusCode!);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal(message, ex.ProviderMessage);
        Assert.Equal("req_body_1", ex.RequestId);
    }

    [Fact]
    public async Task GetResponseAsync_529WithoutBody_Overloaded()
    {
        using var client = CreateClient(Respond((HttpStatusCode)529, string.Empty, "text/plain"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterAndRequestIdHeaders_Kept()
    {
        using var client = CreateClient(Respond(HttpStatusCode.TooManyRequests, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", adjust: r =>
        {
            r.Headers.TryAddWithoutValidation("retry-after", "17");
            r.Headers.TryAddWithoutValidation("request-id", "req_header_9");
        }));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () => await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        Assert.Equal("req_header_9", ex.RequestId);
        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_AnthropicRateLimitResetHeaders_RetryAfterFromSpentBudget()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        using var client = CreateClient(
            ErrorHandler("error-429-rate-limit.json", r =>
            {
                r.Headers.TryAddWithoutValidation("anthropic-ratelimit-tokens-remaining", "0");
                r.Headers.TryAddWithoutValidation("anthropic-ratelimit-tokens-reset", now.AddSeconds(42).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                r.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-remaining", "10");
                r.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-reset", now.AddSeconds(300).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            }),
            o => o.TimeProvider = clock);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_ApiKeyEchoedInBody_Redacted()
    {
        using var client = CreateClient(Respond(HttpStatusCode.Unauthorized, Envelope("authentication_error", "invalid x-api-key " + ApiKey)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.RawBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_NetworkFailure_Unavailable()
    {
        using var client = CreateClient(new LlmAdapters.TestUtilities.StubHttpHandler((_, _) => throw new HttpRequestException("connection refused")));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_BodyNotJson_Unknown()
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, "<html>proxy</html>", "text/html"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_OperationCanceledFlows()
    {
        using var cts = new CancellationTokenSource();
        using var client = CreateClient(new LlmAdapters.TestUtilities.StubHttpHandler(async (_, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("Hi", cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GetResponseAsync_NetworkTimeoutElapses_TimeoutKind()
    {
        var clock = new FakeTimeProvider();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = CreateClient(
            new LlmAdapters.TestUtilities.StubHttpHandler(async (_, ct) =>
            {
                sent.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }),
            o => { o.TimeProvider = clock; o.NetworkTimeout = TimeSpan.FromSeconds(30); });

        var call = client.GetResponseAsync("Hi", cancellationToken: Ct);
        await sent.Task.WaitAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => call);
        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Theory]
    [InlineData("pause_turn")]
    [InlineData("model_context_window_exceeded")]
    public async Task GetResponseAsync_OtherStopReason_CustomFinishReason(string stopReason)
    {
        var body = $$$"""{"id":"msg_p","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"partial"}],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}""";
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(new ChatFinishReason(stopReason), response.FinishReason);
    }

    [Theory]
    [InlineData("max_tokens", "length")]
    [InlineData("stop_sequence", "stop")]
    public async Task GetResponseAsync_StopReason_Mapped(string stopReason, string expected)
    {
        var stopSequence = stopReason == "stop_sequence" ? "\"END\"" : "null";
        var body = $$$"""{"id":"msg_p","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],"stop_reason":"{{{stopReason}}}","stop_sequence":{{{stopSequence}}},"usage":{"input_tokens":100,"cache_read_input_tokens":50,"cache_creation_input_tokens":25,"output_tokens":7}}""";
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(new ChatFinishReason(expected), response.FinishReason);
        Assert.Equal(175, response.Usage!.InputTokenCount);
        Assert.Equal(50, response.Usage.CachedInputTokenCount);
        Assert.Equal(25, response.Usage.AdditionalCounts!["cache_creation_input_tokens"]);
        Assert.Equal(182, response.Usage.TotalTokenCount);
        if (stopReason == "stop_sequence")
        {
            Assert.Equal("END", response.AdditionalProperties!["stop_sequence"]);
        }
    }
}
