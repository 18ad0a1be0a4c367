// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Threading.Channels;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>Streaming behaviour beyond the recorded fixtures: incremental yield, errors mid-stream, truncation, cancellation.</summary>
public sealed class AnthropicStreamingTests
{
    private const string Start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n";
    private const string TextStart = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    private const string Stop = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static string TextDelta(string text) =>
        $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}\"}}}}\n\n";

    private static StubHttpHandler StreamHandler(Stream body) => new(request =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body), RequestMessage = request };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        response.Headers.TryAddWithoutValidation("request-id", "req_stream_1");
        return response;
    });

    [Fact]
    public async Task GetStreamingResponseAsync_Text_YieldedAsItArrives()
    {
        var body = new ScriptedStream();
        using var client = CreateClient(StreamHandler(body));
        await body.WriteAsync(Start + TextStart + TextDelta("Hel"));

        await using var updates = client.GetStreamingResponseAsync("Hi", cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("Hel", updates.Current.Text);
        Assert.Equal("msg_s", updates.Current.MessageId);

        await body.WriteAsync(TextDelta("lo") + Stop);
        body.Complete();
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("lo", updates.Current.Text);
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ChatFinishReason.Stop, updates.Current.FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(updates.Current.Contents));
        Assert.Equal(5, usage.Details.InputTokenCount);
        Assert.Equal(3, usage.Details.OutputTokenCount);
        Assert.False(await updates.MoveNextAsync());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCall_YieldedOnceWhenBlockStops()
    {
        var body = new ScriptedStream();
        using var client = CreateClient(StreamHandler(body));
        await body.WriteAsync(Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n");

        await using var updates = client.GetStreamingResponseAsync("Hi", cancellationToken: Ct).GetAsyncEnumerator(Ct);
        var next = updates.MoveNextAsync().AsTask();
        await body.Starved.WaitAsync(Ct);
        Assert.False(next.IsCompleted);

        await body.WriteAsync("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        body.Complete();

        Assert.True(await next);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(updates.Current.Contents));
        Assert.Equal("toolu_1", call.CallId);
        Assert.Equal("""{"a":1}""", Args(call));
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.Current.FinishReason);
        Assert.False(await updates.MoveNextAsync());
    }

    [Theory]
    [InlineData("overloaded_error", ChatProviderErrorKind.Overloaded, true)]
    [InlineData("rate_limit_error", ChatProviderErrorKind.RateLimited, true)]
    [InlineData("api_error", ChatProviderErrorKind.Unavailable, true)]
    [InlineData("invalid_request_error", ChatProviderErrorKind.InvalidRequest, false)]
    public async Task GetStreamingResponseAsync_ErrorEventMidStream_ThrowsTaxonomyException(string type, ChatProviderErrorKind kind, bool transient)
    {
        var sse = Start + TextStart + TextDelta("partial") +
            $"event: error\ndata: {{\"type\":\"error\",\"error\":{{\"type\":\"{type}\",\"message\":\"Overloaded\"}}}}\n\n";
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));
        var seen = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                seen.Add(update);
            }
        });

        Assert.Equal("partial", Assert.Single(seen).Text);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal("anthropic", ex.ProviderName);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EndsWithoutMessageStop_ThrowsUnavailable()
    {
        var body = new ScriptedStream();
        await body.WriteAsync(Start + TextStart + TextDelta("cut"));
        body.Complete();
        using var client = CreateClient(StreamHandler(body));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () => await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("message_stop", ex.Message, StringComparison.Ordinal);
        Assert.Equal("req_stream_1", ex.RequestId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedEvent_ThrowsUnknown()
    {
        var sse = Start + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\n\n";
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () => await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledMidStream_ThrowsAndDisposesBody()
    {
        var body = new ScriptedStream();
        using var client = CreateClient(StreamHandler(body));
        await body.WriteAsync(Start + TextStart + TextDelta("first"));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var enumerator = client.GetStreamingResponseAsync("Hi", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await enumerator.MoveNextAsync());
        var pending = enumerator.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await enumerator.DisposeAsync();
        Assert.True(body.Disposed);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SilentLongerThanNetworkTimeout_TimeoutKind()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var body = new ScriptedStream();
        using var client = CreateClient(StreamHandler(body), o => { o.TimeProvider = clock; o.NetworkTimeout = TimeSpan.FromSeconds(60); });
        await body.WriteAsync(Start + TextStart + TextDelta("first"));

        await using var updates = client.GetStreamingResponseAsync("Hi", cancellationToken: Ct).GetAsyncEnumerator(Ct);
        Assert.True(await updates.MoveNextAsync());
        clock.Advance(TimeSpan.FromSeconds(59));
        await body.WriteAsync(TextDelta("second"));
        Assert.True(await updates.MoveNextAsync());
        var pending = updates.MoveNextAsync().AsTask();
        await body.Starved.WaitAsync(Ct);
        clock.Advance(TimeSpan.FromSeconds(60));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => pending);
        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.True(body.Disposed);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConsumerStopsEarly_DisposesBody()
    {
        var body = new ScriptedStream();
        using var client = CreateClient(StreamHandler(body));
        await body.WriteAsync(Start + TextStart + TextDelta("first"));

        await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
        {
            break;
        }

        Assert.True(body.Disposed);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoBlankLineAfterMessageStop_StillCompletes()
    {
        var sse = Fixture.Text("anthropic/stream-text-basic.sse").TrimEnd('\n');
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));

        var response = (await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))).ToChatResponse();

        Assert.Equal("Hello there!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EndsInsideAnEvent_ThrowsUnavailableNotMalformed()
    {
        var sse = Start + TextStart + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_";
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () => await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Contains("message_stop", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolInputNotJson_CallCarriesException()
    {
        var sse = Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" + Stop;
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("toolu_1", call.CallId);
        Assert.NotNull(call.Exception);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Request_HasStreamTrueAndSseAccept()
    {
        var handler = SseHandler(null, "stream-text-basic.sse");
        using var client = CreateClient(handler);

        await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));

        Assert.Contains("\"stream\":true", handler.LastRequestBody, StringComparison.Ordinal);
        Assert.Equal("text/event-stream", Assert.Single(handler.LastRequest!.Headers.Accept).MediaType);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RedactedThinkingAndServerBlocks_KeptRaw()
    {
        var sse = Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"ENC\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":\\\"sf\\\"}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n" + Stop;
        using var client = CreateClient(new VerbatimHttpHandler(null, Encoding.UTF8.GetBytes(sse), "text/event-stream"));

        var response = (await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))).ToChatResponse();

        var contents = response.Messages[0].Contents;
        var redacted = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("ENC", redacted.ProtectedData);
        Assert.Equal(true, redacted.AdditionalProperties![AnthropicChatClient.RedactedThinkingPropertyName]);
        var server = Assert.Single(contents, c => c.GetType() == typeof(AIContent));
        Assert.Equal("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"sf"}}""", ((System.Text.Json.JsonElement)server.RawRepresentation!).GetRawText());
    }

    /// <summary>A response body fed by the test, one write at a time, that records its disposal.</summary>
    private sealed class ScriptedStream : Stream
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
        private readonly TaskCompletionSource _starved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ReadOnlyMemory<byte> _current;

        public bool Disposed { get; private set; }

        /// <summary>Gets a task that completes when a read finds no data written yet (the reader waits for more).</summary>
        public Task Starved => _starved.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public ValueTask WriteAsync(string text) => _chunks.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public void Complete() => _chunks.Writer.TryComplete();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_current.IsEmpty)
            {
                if (!_chunks.Reader.TryPeek(out _))
                {
                    _starved.TrySetResult();
                }

                if (!await _chunks.Reader.WaitToReadAsync(cancellationToken) || !_chunks.Reader.TryRead(out var next))
                {
                    return 0;
                }

                _current = next;
            }

            var count = Math.Min(buffer.Length, _current.Length);
            _current[..count].CopyTo(buffer);
            _current = _current[count..];
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            _chunks.Writer.TryComplete();
            base.Dispose(disposing);
        }
    }
}
