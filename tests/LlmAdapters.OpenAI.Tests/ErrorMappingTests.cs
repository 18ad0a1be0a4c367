// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests;

/// <summary>Every recorded error response, before the first chunk, non-streaming and streaming.</summary>
public sealed class ErrorMappingTests
{
    /// <summary>file, provider, status, headers ("name: value|…"), kind, transient, code, type, request id, retry-after seconds.</summary>
    public static TheoryData<string, string, int, string, ChatProviderErrorKind, bool, string?, string?, string?, double?> ErrorFixtures { get; } = new()
    {
        { "openai/error-400-content-filter.json", "openai", 400, "", ChatProviderErrorKind.ContentFiltered, false, "content_filter", null, null, null },
        { "openai/error-400-context-length.json", "openai", 400, "", ChatProviderErrorKind.ContextLengthExceeded, false, "context_length_exceeded", "invalid_request_error", null, null },
        { "openai/error-401-invalid-key.json", "openai", 401, "x-request-id: req_55", ChatProviderErrorKind.Authentication, false, "invalid_api_key", "invalid_request_error", "req_55", null },
        { "openai/error-404-model-not-found.json", "openai", 404, "", ChatProviderErrorKind.ModelNotFound, false, "model_not_found", "invalid_request_error", null, null },
        { "openai/error-404-vllm-model.json", "vllm", 404, "", ChatProviderErrorKind.ModelNotFound, false, "404", "NotFoundError", null, null },
        { "openai/error-429-insufficient-quota.json", "openai", 429, "x-request-id: req_91ab", ChatProviderErrorKind.RateLimited, false, "insufficient_quota", "insufficient_quota", "req_91ab", null },
        {
            "openai/error-429-rate-limit.json", "openai", 429,
            "retry-after: 2|x-ratelimit-limit-tokens: 30000|x-ratelimit-remaining-tokens: 0|x-ratelimit-reset-tokens: 2s|x-request-id: req_7a1c2e",
            ChatProviderErrorKind.RateLimited, true, "rate_limit_exceeded", "tokens", "req_7a1c2e", 2.0
        },
        { "openai/error-500-server.json", "openai", 500, "", ChatProviderErrorKind.Unavailable, true, null, "server_error", null, null },
        { "openai/error-503-overloaded.json", "openai", 503, "", ChatProviderErrorKind.Overloaded, true, null, "server_error", null, null },
        { "openai/vllm-error-400-extra-forbidden.json", "vllm", 400, "", ChatProviderErrorKind.InvalidRequest, false, "400", "BadRequestError", null, null },
    };

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public async Task GetResponseAsync_ErrorFixture_ThrowsClassifiedException(
        string file, string provider, int status, string headers, ChatProviderErrorKind kind, bool transient, string? code, string? type, string? requestId, double? retryAfterSeconds)
    {
        var handler = ErrorHandler(file, status, headers);
        using var client = TestClients.Create(handler, providerName: provider);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        AssertError(ex, file, provider, status, kind, transient, code, type, requestId, retryAfterSeconds);
        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [MemberData(nameof(ErrorFixtures))]
    public async Task GetStreamingResponseAsync_ErrorFixture_ThrowsClassifiedExceptionBeforeFirstUpdate(
        string file, string provider, int status, string headers, ChatProviderErrorKind kind, bool transient, string? code, string? type, string? requestId, double? retryAfterSeconds)
    {
        var handler = ErrorHandler(file, status, headers);
        using var client = TestClients.Create(handler, providerName: provider);
        var updates = 0;

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken))
            {
                updates++;
            }
        });

        Assert.Equal(0, updates);
        AssertError(ex, file, provider, status, kind, transient, code, type, requestId, retryAfterSeconds);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ServerEchoesConfiguredKey_KeyAppearsNowhere()
    {
        // A self-hosted server's key need not look like a key: the adapter masks the configured one itself.
        const string Key = "my-local-vllm-secret-2f9d";
        var body = $$$"""{"error":{"message":"Invalid key {{{Key}}} (Authorization: Bearer {{{Key}}})","type":"invalid_request_error","code":"invalid_api_key"}}""";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.Unauthorized, body)), providerName: "vllm", apiKey: Key);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        AssertNoSecret(ex, Key);
        Assert.Contains(SecretRedactor.Mask, ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ServerEchoesOpenAIKey_KeyAppearsNowhere()
    {
        var body = $$$"""{"error":{"message":"Incorrect API key provided: {{{TestClients.ApiKey}}}.","type":"invalid_request_error","code":"invalid_api_key"}}""";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.Unauthorized, body)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        AssertNoSecret(ex, TestClients.ApiKey);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task GetResponseAsync_TransientStatus_SdkDoesNotRetry(int status)
    {
        var handler = new StubHttpHandler(_ =>
        {
            var response = TestClients.Json((HttpStatusCode)status, """{"error":{"message":"try later","type":"server_error"}}""");
            response.Headers.TryAddWithoutValidation("retry-after", "0");
            response.Headers.TryAddWithoutValidation("x-should-retry", "true");
            return response;
        });
        using var client = TestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(ex.IsTransient);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TransientStatus_SdkDoesNotRetry()
    {
        var handler = new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.InternalServerError, """{"error":{"message":"boom","type":"server_error"}}"""));
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_NetworkFailure_ThrowsUnavailableAndDoesNotRetry()
    {
        var handler = new StubHttpHandler((_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (localhost:8000)")));
        using var client = TestClients.Create(handler, providerName: "vllm");

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Equal("vllm", ex.ProviderName);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_NetworkTimeoutElapses_ThrowsTimeout()
    {
        var handler = new StubHttpHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            return TestClients.Json(HttpStatusCode.OK, "{}");
        });
        using var client = TestClients.Create(handler, networkTimeout: TimeSpan.FromMilliseconds(50));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_CutJsonBody_ThrowsTransientUnavailable()
    {
        // A body cut in transit is the same transport fault as a stream cut short: transient, as it is while streaming.
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, """{"id":"chatcmpl-1","choices":[{"index":0,"message":""")));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_HtmlGatewayError_ThrowsWithStatus()
    {
        var handler = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway)
        {
            Content = new StringContent("<html><body>502 Bad Gateway</body></html>", Encoding.UTF8, "text/html"),
        });
        using var client = TestClients.Create(handler, providerName: "ollama");

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal("ollama", ex.ProviderName);
    }

    internal static void AssertNoSecret(ChatProviderException ex, string secret)
    {
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ProviderMessage ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.RawBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(ex.Data);
    }

    private static StubHttpHandler ErrorHandler(string file, int status, string headers)
    {
        var body = ErrorBody(file);
        return new StubHttpHandler(_ =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            foreach (var header in headers.Split('|', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                response.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
            }

            return response;
        });
    }

    private static byte[] ErrorBody(string file)
    {
        // Recordings of the {status, headers, body} shape carry the body in "body"; the others are the body, byte for byte.
        var node = JsonNode.Parse(Fixture.Text(file))!;
        return node["body"] is { } body && node["status"] is not null ? Encoding.UTF8.GetBytes(body.ToJsonString()) : Fixture.Bytes(file);
    }

    private static void AssertError(
        ChatProviderException ex, string file, string provider, int status, ChatProviderErrorKind kind, bool transient, string? code, string? type, string? requestId, double? retryAfterSeconds)
    {
        var node = JsonNode.Parse(Fixture.Text(file))!;
        var expectedMessage = (node["error"]?["message"] ?? node["body"]?["message"] ?? node["message"])!.GetValue<string>();

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(provider, ex.ProviderName);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal(expectedMessage, ex.ProviderMessage);
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
        Assert.Equal(requestId, ex.RequestId);
        Assert.Equal(retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, ex.RetryAfter);
        Assert.NotNull(ex.RawBody);
        AssertNoSecret(ex, TestClients.ApiKey);
    }
}
