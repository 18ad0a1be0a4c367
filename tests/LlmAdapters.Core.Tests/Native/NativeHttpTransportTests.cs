// Licensed under the MIT License.

using System.Net;
using System.Text;
using LlmAdapters.Native;
using LlmAdapters.TestUtilities;

namespace LlmAdapters.Core.Tests.Native;

public sealed class NativeHttpTransportTests
{
    private const string Key = "gateway-token-not-key-shaped-42";
    private static readonly Uri s_uri = new("https://provider.test/v1/chat");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NativeHttpTransport Create(StubHttpHandler handler, Action<NativeTransportOptions>? configure = null)
    {
        var options = new NativeTransportOptions { ProviderName = "test", ApiKey = Key, ApiKeyHeaderName = "x-test-key" };
        options.Headers["x-version"] = "7";
        configure?.Invoke(options);
        return new NativeHttpTransport(options, new HttpClient(handler));
    }

    private static StubHttpHandler Respond(HttpStatusCode status, HttpContent content, Action<HttpResponseMessage>? adjust = null) =>
        new(request =>
        {
            var response = new HttpResponseMessage(status) { Content = content, RequestMessage = request };
            adjust?.Invoke(response);
            return response;
        });

    private static StubHttpHandler Respond(HttpStatusCode status, string body, string contentType = "application/json") =>
        Respond(status, new StringContent(body, Encoding.UTF8, contentType));

    private static Task<string?> GetTextAsync(NativeHttpTransport transport) =>
        transport.GetResponseAsync(s_uri, "{}"u8.ToArray(), TestJsonContext.Default.TextItem, static item => item.Text, Ct);

    private static async Task<List<string>> StreamAsync(NativeHttpTransport transport, TextDecoder decoder)
    {
        var texts = new List<string>();
        await foreach (var update in transport.GetStreamingResponseAsync(s_uri, decoder, static d => ("{}"u8.ToArray(), (INativeStreamDecoder)d), Ct))
        {
            texts.Add(update.Text);
        }

        return texts;
    }

    [Fact]
    public async Task GetResponseAsync_SendsTheBodyTheKeyHeaderAndTheProviderHeaders()
    {
        HttpRequestMessage? seen = null;
        string? body = null;
        using var transport = Create(new StubHttpHandler(async (request, ct) =>
        {
            seen = request;
            body = await request.Content!.ReadAsStringAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"text":"hi"}""") };
        }));

        var text = await transport.GetResponseAsync(s_uri, """{"q":1}"""u8.ToArray(), TestJsonContext.Default.TextItem, static item => item.Text, Ct);

        Assert.Equal("hi", text);
        Assert.Equal("""{"q":1}""", body);
        Assert.Equal(Key, seen!.Headers.GetValues("x-test-key").Single());
        Assert.Equal("7", seen.Headers.GetValues("x-version").Single());
        Assert.Equal("application/json", seen.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(s_uri, seen.RequestUri);
    }

    [Theory]
    [InlineData("""{"foo":1}""")]
    [InlineData("""{"text":null}""")]
    [InlineData("""{"choices":[{"message":{"content":"hi"}}]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("")]
    [InlineData("<html>proxy</html>")]
    public async Task GetResponseAsync_TwoHundredNotInTheDialectsShape_ThrowsUnknownNeverAnEmptySuccess(string body)
    {
        using var transport = Create(Respond(HttpStatusCode.OK, body));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Equal("test", ex.ProviderName);
    }

    [Fact]
    public async Task GetResponseAsync_InvalidUtf8_ThrowsUnknown()
    {
        var bytes = "{\"text\":\"abc\"}"u8.ToArray();
        bytes[10] = 0xFF;
        using var transport = Create(Respond(HttpStatusCode.OK, new ByteArrayContent(bytes)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task GetResponseAsync_ErrorEchoingANonKeyShapedKey_MasksItInEveryString()
    {
        var body = $$"""{"error":{"code":400,"message":"API key {{Key}} not valid","status":"INVALID_ARGUMENT"},"request_id":"{{Key}}"}""";
        using var transport = Create(Respond(HttpStatusCode.BadRequest, new StringContent(body), r => r.Headers.TryAddWithoutValidation("x-request-id", Key)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.InvalidRequest, ex.Kind);
        foreach (var text in new[] { ex.Message, ex.ToString(), ex.ProviderMessage, ex.RawBody, ex.RequestId })
        {
            Assert.NotNull(text);
            Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        }

        Assert.Contains(SecretRedactor.Mask, ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_RefineError_IsAppliedBeforeRedaction()
    {
        using var transport = Create(
            Respond(HttpStatusCode.InternalServerError, "{\"error\":{\"type\":\"busy\",\"message\":\"busy " + Key + "\"}}"),
            o => o.RefineError = static (ex, response) => new ChatProviderException(ChatProviderErrorKind.Overloaded, ex.ProviderName, ex.ProviderMessage + " refined", ex.StatusCode));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.EndsWith("refined", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_BodyOverTheLimit_ThrowsAClearError()
    {
        var body = "{\"text\":\"" + new string('a', 2000) + "\"}";
        using var transport = Create(Respond(HttpStatusCode.OK, body), o => o.MaxResponseBytes = 1000);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.Contains("MaxResponseBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var transport = Create(new StubHttpHandler(async (_, ct) =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            transport.GetResponseAsync(s_uri, "{}"u8.ToArray(), TestJsonContext.Default.TextItem, static item => item.Text, cts.Token));
    }

    [Fact]
    public async Task GetResponseAsync_NetworkTimeout_ThrowsTimeout()
    {
        using var transport = Create(
            new StubHttpHandler(async (_, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                return new HttpResponseMessage(HttpStatusCode.OK);
            }),
            o => o.NetworkTimeout = TimeSpan.FromMilliseconds(50));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => GetTextAsync(transport));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Stream_DataOnlySseWithDoneSentinel_YieldsEachEventAndCompletes(int chunk)
    {
        const string body = "data: {\"text\":\"Hel\"}\n\ndata: {\"text\":\"lo\"}\r\n\r\ndata: [DONE]\n\n";
        using var transport = Create(Respond(HttpStatusCode.OK, new TrickleContent(body, chunk)));
        var decoder = new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true);

        var texts = await StreamAsync(transport, decoder);

        Assert.Equal(["Hel", "lo"], texts);
        Assert.True(decoder.Completed);
        Assert.All(decoder.EventTypes, t => Assert.Equal("message", t));
    }

    [Fact]
    public async Task Stream_SseEndingBeforeTheTerminalEvent_ThrowsUnavailableNamingIt()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "data: {\"text\":\"Hel\"}\n\n", "text/event-stream"));
        var decoder = new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true);
        var texts = new List<string>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in transport.GetStreamingResponseAsync(s_uri, decoder, static d => ("{}"u8.ToArray(), (INativeStreamDecoder)d), Ct))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(["Hel"], texts);
        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("[DONE]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_LastSseEventWithoutItsBlankLine_IsStillDispatched()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "data: {\"text\":\"a\"}\n\ndata: [DONE]", "text/event-stream"));

        var texts = await StreamAsync(transport, new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true));

        Assert.Equal(["a"], texts);
    }

    [Fact]
    public async Task Stream_SseEventCutInTheMiddle_IsAnIncompleteStream()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "data: {\"text\":\"a\"}\n\ndata: {\"tex", "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => StreamAsync(transport, new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task Stream_SseEventNotJson_ThrowsUnknown()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "data: {\"text\":\"a\"}\n\ndata: not json\n\ndata: [DONE]\n\n", "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => StreamAsync(transport, new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true)));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task Stream_ErrorStatusAnsweredAsEventStream_IsTheTaxonomy()
    {
        using var transport = Create(Respond(HttpStatusCode.TooManyRequests, """{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}""", "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => StreamAsync(transport, new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true)));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal("slow down", ex.ProviderMessage);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public async Task Stream_Ndjson_YieldsEachLineAndStopsAtTheTerminalLine(int chunk)
    {
        const string body = "{\"text\":\"Hel\"}\n\n{\"text\":\"lo\"}\r\n{\"text\":\"!\",\"done\":true}\n{\"text\":\"after the end\"}\n";
        using var transport = Create(Respond(HttpStatusCode.OK, new TrickleContent(body, chunk)));
        var decoder = new TextDecoder(NativeStreamFormat.NewlineDelimitedJson, doneSentinel: false);

        var texts = await StreamAsync(transport, decoder);

        Assert.Equal(["Hel", "lo", "!"], texts);
        Assert.All(decoder.EventTypes, t => Assert.Equal(string.Empty, t));
    }

    [Fact]
    public async Task Stream_NdjsonLongerThanTheBuffer_IsReadWhole()
    {
        var text = new string('x', 40_000);
        using var transport = Create(Respond(HttpStatusCode.OK, "{\"text\":\"" + text + "\",\"done\":true}", "application/x-ndjson"));

        var texts = await StreamAsync(transport, new TextDecoder(NativeStreamFormat.NewlineDelimitedJson, doneSentinel: false));

        Assert.Equal([text], texts);
    }

    [Fact]
    public async Task Stream_NdjsonEndingBeforeTheTerminalLine_ThrowsUnavailable()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "{\"text\":\"Hel\"}\n", "application/x-ndjson"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => StreamAsync(transport, new TextDecoder(NativeStreamFormat.NewlineDelimitedJson, doneSentinel: false)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Contains("\"done\":true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_BodyOverTheLimit_ThrowsAClearError()
    {
        var body = string.Concat(Enumerable.Repeat("data: {\"text\":\"aaaaaaaaaa\"}\n\n", 100));
        using var transport = Create(Respond(HttpStatusCode.OK, body, "text/event-stream"), o => o.MaxResponseBytes = 500);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => StreamAsync(transport, new TextDecoder(NativeStreamFormat.ServerSentEvents, doneSentinel: true)));

        Assert.Contains("MaxResponseBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ArgumentErrorsSurfaceWhenEnumerationStarts()
    {
        using var transport = Create(Respond(HttpStatusCode.OK, "data: [DONE]\n\n"));
        var stream = transport.GetStreamingResponseAsync<object?>(s_uri, null, static _ => throw new ArgumentException("bad"), Ct);

        await Assert.ThrowsAsync<ArgumentException>(async () => await stream.GetAsyncEnumerator(Ct).MoveNextAsync());
    }

    [Theory]
    [InlineData("secret-value\r\nX-Injected: 1")]
    [InlineData("secret-value\n")]
    [InlineData("secret\u0001value")]
    [InlineData("kéy-not-ascii")]
    [InlineData(" padded-key ")]
    public void Constructor_KeyAHeaderCannotCarry_ThrowsWithoutPrintingIt(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => new NativeHttpTransport(new NativeTransportOptions { ProviderName = "test", ApiKey = key }));

        Assert.Equal("options.ApiKey", ex.ParamName);
        Assert.Contains("options.ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Trim(), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk-ant-api03-abc_DEF-123")]
    [InlineData("AIzaSyD-some_key")]
    public void ApiKeyRules_UsableKeys_HaveNoProblem(string? key) => Assert.Null(ApiKeyRules.GetProblem(key));

    [Fact]
    public void Constructor_BadLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeHttpTransport(new NativeTransportOptions { ProviderName = "t", NetworkTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeHttpTransport(new NativeTransportOptions { ProviderName = "t", MaxResponseBytes = 0 }));
    }
}
