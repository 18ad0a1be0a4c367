// Licensed under the MIT License.

using System.Net;
using System.Text;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests;

/// <summary>Issue 13: every hostile answer becomes a <see cref="ChatProviderException"/> of a definite kind, and never leaks the key.</summary>
public sealed class HostileAnswerTests
{
    // Not key-shaped: only exact-key redaction can hide it.
    private const string PlainKey = "gateway-token-7Hq2Lw9Zt4Km";

    /// <summary>Bodies of a 200 that are not a chat completion, with the kind each must become.</summary>
    public static TheoryData<string, ChatProviderErrorKind> WrongShapes { get; } = new()
    {
        { """{"foo":1}""", ChatProviderErrorKind.Unknown },
        { "[]", ChatProviderErrorKind.Unknown },
        { "null", ChatProviderErrorKind.Unknown },
        { "42", ChatProviderErrorKind.Unknown },
        { "\"hello\"", ChatProviderErrorKind.Unknown },
        { """{"choices":[]}""", ChatProviderErrorKind.Unknown },
        { """{"choices":"x"}""", ChatProviderErrorKind.Unknown },
        { """{"choices":null}""", ChatProviderErrorKind.Unknown },
        { """{"choices":[null]}""", ChatProviderErrorKind.Unknown },
        { """{"choices":[1]}""", ChatProviderErrorKind.Unknown },
        { """{"choices":[{"index":0}]}""", ChatProviderErrorKind.Unknown },
        { """{"choices":[{"index":0,"message":"hi"}]}""", ChatProviderErrorKind.Unknown },
        { """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":42},"finish_reason":"stop"}]}""", ChatProviderErrorKind.Unknown },
        { """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":{"a":1}},"finish_reason":"stop"}]}""", ChatProviderErrorKind.Unknown },
        { """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":7}]}""", ChatProviderErrorKind.Unknown },
        { """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":"lots"}""", ChatProviderErrorKind.Unknown },
        { "not json at all", ChatProviderErrorKind.Unknown },
        { "<html><body>captive portal</body></html>", ChatProviderErrorKind.Unknown },
        { """{"error":{"message":"upstream overloaded","type":"overloaded_error"}}""", ChatProviderErrorKind.Overloaded },
        { string.Empty, ChatProviderErrorKind.Unavailable },
        { "   \n", ChatProviderErrorKind.Unavailable },
        { "{", ChatProviderErrorKind.Unavailable },
        { """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"Hel""", ChatProviderErrorKind.Unavailable },
        { """[{"a":1},""", ChatProviderErrorKind.Unavailable },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public async Task GetResponseAsync_200OfWrongShape_ThrowsDefiniteKind(string body, ChatProviderErrorKind kind)
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, body)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(ChatProviderException.IsTransientKind(kind), ex.IsTransient);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x80, 0x81 })]
    public async Task GetResponseAsync_200WithInvalidUtf8_ThrowsUnknown(byte[] body)
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    /// <summary>Streamed chunks that are JSON of the wrong shape, as the first chunk and after a good one.</summary>
    public static TheoryData<string, bool> WrongChunks { get; } = new()
    {
        { """data: {"choices":"x"}""", false },
        { """data: {"choices":"x"}""", true },
        { """data: {"choices":[1]}""", false },
        { """data: {"choices":[{"index":0,"delta":"x"}]}""", false },
        { """data: {"choices":[{"index":"zero","delta":{"content":"x"}}]}""", true },
        { """data: {"choices":[{"index":0,"delta":{"content":42}}]}""", false },
        { """data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":7}]}""", false },
        { "data: []", false },
        { "data: 42", true },
        { "data: {", false },
    };

    [Theory]
    [MemberData(nameof(WrongChunks))]
    public async Task GetStreamingResponseAsync_ChunkOfWrongShape_ThrowsChatProviderException(string chunk, bool afterGoodChunk)
    {
        const string good = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}""";
        var body = (afterGoodChunk ? good + "\n\n" : string.Empty) + chunk + "\n\n" + "data: [DONE]\n\n";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(body)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.NotEqual(ChatProviderErrorKind.Authentication, ex.Kind);
    }

    [Theory]
    [InlineData("retry-after", "1e20")]
    [InlineData("retry-after", "Infinity")]
    [InlineData("retry-after", "99999999999999")]
    [InlineData("retry-after-ms", "1e20")]
    public async Task GetResponseAsync_RetryAfterTooLarge_TranslatedAndRedacted(string header, string value)
    {
        var handler = new StubHttpHandler(_ =>
        {
            var response = TestClients.Json((HttpStatusCode)429, $$$"""{"error":{"message":"Slow down, {{{PlainKey}}} and {{{TestClients.ApiKey}}}","type":"rate_limit_error"}}""");
            response.Headers.TryAddWithoutValidation(header, value);
            response.Headers.TryAddWithoutValidation("x-request-id", "req-" + PlainKey);
            return response;
        });
        using var client = TestClients.Create(handler, apiKey: PlainKey);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromDays(1), ex.RetryAfter); // the cap on a Retry-After
        AssertKeyNowhere(ex, PlainKey);
        AssertKeyNowhere(ex, TestClients.ApiKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Errors_ConfiguredKeyNotKeyShaped_MaskedInHeadersAndBody(bool streaming)
    {
        var handler = new StubHttpHandler(_ =>
        {
            var response = TestClients.Json(HttpStatusCode.Unauthorized, $$$"""{"error":{"message":"bad token {{{PlainKey}}}","type":"{{{PlainKey}}}","code":"{{{PlainKey}}}"},"request_id":"{{{PlainKey}}}"}""");
            response.Headers.TryAddWithoutValidation("request-id", PlainKey);
            return response;
        });
        using var client = TestClients.Create(handler, apiKey: PlainKey);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => Call(client, streaming));

        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        AssertKeyNowhere(ex, PlainKey);
    }

    public static TheoryData<string> BadKeys { get; } = new() { PlainKey + "\r\n", "sk-abc\nX-Evil: 1", "clé-secrète-123456", PlainKey + "\u0007", " " + PlainKey };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void Constructor_KeyAHeaderCannotCarry_RejectedBeforeAnyRequest(string key)
    {
        var handler = new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, "{}"));

        var ex = Assert.Throws<ArgumentException>(() => { using var client = TestClients.Create(handler, apiKey: key); });

        Assert.Contains("options.ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, handler.Calls);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task Response_LargerThanLimit_ThrowsNamingTheOption(bool streaming, bool declareLength)
    {
        var chunk = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"finish_reason":null}]}""" + "\n\n";
        var body = streaming
            ? string.Concat(Enumerable.Repeat(chunk, 200))
            : """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":" """ + new string('a', 50_000) + """ "},"finish_reason":"stop"}]}""";
        var handler = new StubHttpHandler(_ =>
        {
            var content = declareLength ? new ByteArrayContent(Encoding.UTF8.GetBytes(body)) : (HttpContent)new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
            content.Headers.TryAddWithoutValidation("Content-Type", streaming ? "text/event-stream" : "application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using var client = new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions { Model = "m", ApiKey = TestClients.ApiKey, MaxResponseBytes = 4096 },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => Call(client, streaming));

        Assert.Contains("MaxResponseBytes", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task Response_WithinLimit_Succeeds()
    {
        var body = """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}""";
        using var client = new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions { Model = "m", ApiKey = TestClients.ApiKey, MaxResponseBytes = 4096 },
            new HttpClient(new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, body))) { Timeout = Timeout.InfiniteTimeSpan });

        var response = await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("hello", response.Text);
    }

    private static async Task Call(IChatClient client, bool streaming)
    {
        if (!streaming)
        {
            await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
            return;
        }

        await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
        {
        }
    }

    private static void AssertKeyNowhere(ChatProviderException ex, string key)
    {
        foreach (var value in new[] { ex.Message, ex.ToString(), ex.ProviderMessage, ex.RawBody, ex.RequestId, ex.ErrorType, ex.ErrorCode })
        {
            Assert.DoesNotContain(key, value ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
