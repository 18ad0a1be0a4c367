// Licensed under the MIT License.

using System.Net;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>A 200 that is not a Messages API answer, a gateway echoing the key, and keys a header cannot carry (issue #13).</summary>
public sealed class AnthropicHostileResponseTests
{
    [Theory]
    [InlineData("""{"foo":1}""")]
    [InlineData("""{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""")]
    [InlineData("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":null,"stop_reason":"end_turn"}""")]
    [InlineData("""{"type":"error_page","content":[]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task GetResponseAsync_TwoHundredNotAMessage_ThrowsUnknownNeverAnEmptySuccess(string body)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, body));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Equal("anthropic", ex.ProviderName);
    }

    [Fact]
    public async Task GetResponseAsync_InvalidUtf8_ThrowsUnknown()
    {
        var bytes = """{"id":"msg_1","type":"message","content":[{"type":"text","text":"abc"}]}"""u8.ToArray();
        bytes[Array.IndexOf(bytes, (byte)'b')] = 0xFF;
        using var client = CreateClient(new StubHttpHandler(request => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes), RequestMessage = request }));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_EmptyContentArray_IsStillAnAnswer()
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"end_turn"}"""));

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Theory]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", ChatProviderErrorKind.Unavailable)]
    [InlineData("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n", ChatProviderErrorKind.Unknown)]
    [InlineData("{\"foo\":1}", ChatProviderErrorKind.Unavailable)]
    public async Task GetStreamingResponseAsync_StreamOfAnotherDialect_IsNeverAnEmptySuccess(string sse, ChatProviderErrorKind kind)
    {
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(kind, ex.Kind);
    }

    [Fact]
    public async Task Errors_EchoingAConfiguredKeyThatIsNotKeyShaped_NeverPrintIt()
    {
        const string key = "corp-gateway-token-7f3a9";
        var body = $$"""{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key {{key}}"},"request_id":"{{key}}"}""";
        using var client = CreateClient(
            Respond(HttpStatusCode.Unauthorized, body, adjust: r => r.Headers.TryAddWithoutValidation("request-id", key)),
            o => o.ApiKey = key);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        foreach (var e in new[] { ex, streamed })
        {
            Assert.Equal(ChatProviderErrorKind.Authentication, e.Kind);
            foreach (var text in new[] { e.Message, e.ToString(), e.ProviderMessage, e.RawBody, e.RequestId })
            {
                Assert.DoesNotContain(key, text ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task StreamErrorEvent_EchoingTheConfiguredKey_NeverPrintsIt()
    {
        const string key = "corp-gateway-token-7f3a9";
        var sse = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy for " + key + "\"}}\n\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"), o => o.ApiKey = key);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.DoesNotContain(key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, ex.RawBody!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sk-ant-secret-value\r\nX-Injected: yes")]
    [InlineData("sk-ant-secret-value\n")]
    [InlineData("sk-ant-secret\u0000value")]
    [InlineData("sk-ant-sécret-value")]
    public void Constructor_KeyAHeaderCannotCarry_ThrowsBeforeAnyRequestWithoutPrintingIt(string key)
    {
        var handler = Respond(HttpStatusCode.OK, "{}");

        var ex = Assert.Throws<ArgumentException>(() => CreateClient(handler, o => o.ApiKey = key));

        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sécret", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }
}
