// Licensed under the MIT License.

using System.Net;
using System.Text;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests;

/// <summary>Streams that fail after they began: cut connections, missing finish reasons, malformed chunks, error chunks.</summary>
public sealed class StreamFailureTests
{
    private const string Chunk1 = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}""";
    private const string Chunk2 = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}""";

    [Fact]
    public async Task GetStreamingResponseAsync_ConnectionCutMidway_ThrowsUnavailableAfterFirstUpdates()
    {
        var bytes = Encoding.UTF8.GetBytes(Chunk1 + "\n\n" + Chunk2 + "\n\n");
        using var client = TestClients.Create(new StubHttpHandler(_ => Response(new FailingStream(bytes))));
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update);
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal("openai", ex.ProviderName);
        Assert.Equal("Hello", string.Concat(received.Select(u => u.Text)));
        Assert.IsAssignableFrom<IOException>(GetInnermost(ex));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamEndsWithoutFinishReason_ThrowsUnavailable()
    {
        // [DONE] without a finish reason (without [DONE], the stream ended before it: see the hostile suite's unterminated-stream).
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\n" + Chunk2 + "\n\ndata: [DONE]\n\n")));
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
                received.Add(update);
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains("finish reason", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, received.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EmptyStream_ThrowsUnavailable()
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(string.Empty)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DoneWithoutFinishReason_ThrowsUnavailable()
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\ndata: [DONE]\n\n")));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedJsonChunk_ThrowsNonTransientUnknown()
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\ndata: {\"id\":\"c1\",\"choices\":[{\"index\":0,}]}\n\n")));
        var received = 0;

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
                received++;
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ChunkOfWrongShape_ThrowsNonTransientUnknown()
    {
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\ndata: {\"id\":\"c1\",\"choices\":\"oops\"}\n\n")));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorChunkMidway_ThrowsProviderError()
    {
        // vLLM (and OpenRouter, LiteLLM) report a failure that happens after the 200 as a data chunk with an error object.
        const string Error = """data: {"error":{"object":"error","message":"The decoder prompt (length 9000) is longer than the maximum model length of 8192.","type":"BadRequestError","param":null,"code":400}}""";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\n" + Error + "\n\ndata: [DONE]\n\n")), providerName: "vllm");

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal("vllm", ex.ProviderName);
        Assert.Equal("BadRequestError", ex.ErrorType);
        Assert.Equal("400", ex.ErrorCode);
        Assert.Equal(ChatProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.StartsWith("The decoder prompt", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StringErrorChunk_ThrowsProviderError()
    {
        const string Error = """data: {"error":"upstream model server disconnected"}""";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\n" + Error + "\n\n")), providerName: "together");

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal("together", ex.ProviderName);
        Assert.Equal("upstream model server disconnected", ex.ProviderMessage);
        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NullErrorField_IsNotAnError()
    {
        const string Done = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","error":null,"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Chunk1 + "\n\n" + Done + "\n\ndata: [DONE]\n\n")));

        var updates = await FixtureReplayTests.ToListAsync(client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("Hel", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancelsMidway_ThrowsOperationCanceled()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var stream = new BlockingStream(Encoding.UTF8.GetBytes(Chunk1 + "\n\n"));
        using var client = TestClients.Create(new StubHttpHandler(_ => Response(stream)));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        Assert.IsNotType<ChatProviderException>(ex);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledNotTaxonomy()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var handler = new StubHttpHandler(async (_, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            return TestClients.Json(HttpStatusCode.OK, "{}");
        });
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GetResponseAsync_AlreadyCancelled_ThrowsOperationCanceledWithoutRequest()
    {
        var handler = new StubHttpHandler(_ => TestClients.Json(HttpStatusCode.OK, "{}"));
        using var client = TestClients.Create(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("hi", cancellationToken: new CancellationToken(canceled: true)));
        Assert.Equal(0, handler.Calls);
    }

    private static HttpResponseMessage Response(Stream stream)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        return response;
    }

    private static Exception GetInnermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    /// <summary>Returns its bytes, then fails as a reset connection does.</summary>
    private sealed class FailingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("Connection reset by peer.");
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            return read > 0 ? read : throw new IOException("Connection reset by peer.");
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Returns its bytes, then waits for more until cancelled, as an open connection does.</summary>
    private sealed class BlockingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
