// Licensed under the MIT License.

using System.Net;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Gemini.Tests.TestSupport;

namespace LlmAdapters.Gemini.Tests;

/// <summary>google.rpc.Status to the taxonomy, blocked prompts, hostile 200 bodies, cut streams and keys.</summary>
public sealed class GeminiErrorTests
{
    private static string Status(int code, string status, string message) =>
        $$$"""{"error":{"code":{{{code}}},"message":"{{{message}}}","status":"{{{status}}}"}}""";

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", "Invalid value at 'contents'", ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(400, "FAILED_PRECONDITION", "User location is not supported for the API use.", ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.", ChatProviderErrorKind.Authentication, false)]
    [InlineData(403, "PERMISSION_DENIED", "The caller does not have permission", ChatProviderErrorKind.PermissionDenied, false)]
    [InlineData(404, "NOT_FOUND", "models/nope is not found for API version v1beta", ChatProviderErrorKind.ModelNotFound, false)]
    [InlineData(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", ChatProviderErrorKind.RateLimited, true)]
    [InlineData(500, "INTERNAL", "An internal error has occurred.", ChatProviderErrorKind.Unavailable, true)]
    [InlineData(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", ChatProviderErrorKind.Overloaded, true)]
    [InlineData(504, "DEADLINE_EXCEEDED", "The request timed out.", ChatProviderErrorKind.Timeout, true)]
    public async Task StatusWords_MapToTheTaxonomy(int code, string status, string message, ChatProviderErrorKind kind, bool transient)
    {
        using var client = CreateClient(Respond((HttpStatusCode)code, Status(code, status, message)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(status, ex.ErrorType);
        Assert.Equal(message, ex.ProviderMessage);
    }

    [Fact]
    public async Task InvalidKeyEchoed_IsAuthentication_AndTheKeyIsNeverPrinted()
    {
        const string key = "my-gateway-token-not-google-shaped";
        var body = $$$"""{"error":{"code":400,"message":"API key not valid: {{{key}}}. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","metadata":{"key":"{{{key}}}"}}]}}""";
        using var client = CreateClient(Respond(HttpStatusCode.BadRequest, body, adjust: r => r.Headers.TryAddWithoutValidation("x-goog-request-id", key)), o => o.ApiKey = key);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        foreach (var e in new[] { ex, streamed })
        {
            Assert.Equal(ChatProviderErrorKind.Authentication, e.Kind);
            Assert.False(e.IsTransient);
            foreach (var text in new[] { e.Message, e.ToString(), e.ProviderMessage, e.RawBody, e.RequestId })
            {
                Assert.DoesNotContain(key, text ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task BlockedPrompt_IsContentFiltered_NeverAnEmptySuccess()
    {
        const string body = """{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-2.0-flash"}""";
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));
        using var streaming = CreateClient(Respond(HttpStatusCode.OK, "data: " + body + "\r\n\r\n", "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(streaming.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        foreach (var e in new[] { ex, streamed })
        {
            Assert.Equal(ChatProviderErrorKind.ContentFiltered, e.Kind);
            Assert.Equal("SAFETY", e.ErrorType);
        }
    }

    [Theory]
    [InlineData("SAFETY")]
    [InlineData("RECITATION")]
    [InlineData("BLOCKLIST")]
    [InlineData("PROHIBITED_CONTENT")]
    [InlineData("SPII")]
    public async Task FilteredAnswer_IsContentFilterFinish(string reason)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, $$"""{"candidates":[{"finishReason":"{{reason}}","index":0}],"modelVersion":"m"}"""));

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("MALFORMED_FUNCTION_CALL", "MALFORMED_FUNCTION_CALL")]
    [InlineData("OTHER", "OTHER")]
    public async Task OtherFinishReasons_LengthOrKeptRaw(string reason, string expected)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, $$"""{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"{{reason}}"}]}"""));

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(expected, response.FinishReason!.Value.Value);
    }

    [Theory]
    [InlineData("""{"foo":1}""")]
    [InlineData("""{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hi"}]}""")]
    [InlineData("""{"candidates":[{"content":null}]}""")]
    [InlineData("""{"candidates":[null]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task TwoHundredNotAGeminiAnswer_ThrowsUnknownNeverAnEmptySuccess(string body)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task TwoHundredWithInvalidUtf8_ThrowsUnknown()
    {
        var bytes = """{"candidates":[{"content":{"role":"model","parts":[{"text":"abc"}]},"finishReason":"STOP"}]}"""u8.ToArray();
        bytes[Array.IndexOf(bytes, (byte)'b')] = 0xC3;
        using var client = CreateClient(new StubHttpHandler(r => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes), RequestMessage = r }));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Theory]
    [InlineData("data: {\"foo\":1}\r\n\r\n", ChatProviderErrorKind.Unknown)]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n", ChatProviderErrorKind.Unknown)]
    [InlineData("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}\r\n\r\n", ChatProviderErrorKind.Unavailable)]
    [InlineData("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}\r\n\r\ndata: {\"candida", ChatProviderErrorKind.Unavailable)]
    [InlineData("", ChatProviderErrorKind.Unavailable)]
    public async Task Stream_NotAGeminiStreamOrEndingBeforeAFinishReason_Throws(string sse, ChatProviderErrorKind kind)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(kind, ex.Kind);
    }

    [Fact]
    public async Task Stream_ErrorChunkInASuccessfulStream_IsTheTaxonomy()
    {
        const string sse = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}\r\n\r\ndata: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"));
        var texts = new List<string>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], texts);
        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Theory]
    [InlineData("AIza-secret-value\r\nX-Injected: 1")]
    [InlineData("AIza-secret-value\u0007")]
    [InlineData("AIza-sécret-value")]
    public void Constructor_KeyAHeaderCannotCarry_ThrowsWithoutPrintingIt(string key)
    {
        var handler = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var ex = Assert.Throws<ArgumentException>(() => CreateClient(handler, o => o.ApiKey = key));

        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sécret", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task ResponseLargerThanTheLimit_ThrowsAClearError()
    {
        using var client = CreateClient(JsonHandler("nonstream-function-call.json"), o => o.MaxResponseBytes = 100);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Contains("MaxResponseBytes", ex.Message, StringComparison.Ordinal);
    }
}
