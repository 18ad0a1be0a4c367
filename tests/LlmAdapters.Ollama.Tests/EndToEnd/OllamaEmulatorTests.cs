// Licensed under the MIT License.

using System.Net;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using static LlmAdapters.Ollama.Tests.TestSupport;

namespace LlmAdapters.Ollama.Tests.EndToEnd;

/// <summary>The adapter against the emulator's Ollama dialect over real loopback HTTP: streaming, thinking, tools, every error kind, cancellation.</summary>
public sealed class OllamaEmulatorTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(cancellationToken: Ct);
        _http = new HttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private OllamaChatClient Client() => new(new OllamaChatClientOptions { Endpoint = _server.OllamaEndpoint, Model = "llama3.2" }, _http);

    [Fact]
    public async Task Streaming_TextUsageAndDurations()
    {
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct));

        Assert.True(updates.Count > 3);
        var response = updates.ToChatResponse();
        Assert.StartsWith("You said \"Hello there\"", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        Assert.IsType<TimeSpan>(updates[^1].AdditionalProperties!["eval_duration"]);
        Assert.Equal("/api/chat", _server.Requests.Single().Path);
    }

    [Fact]
    public async Task Thinking_ArrivesAsReasoning()
    {
        using var client = Client();

        var response = await client.GetResponseAsync("Why is the sky blue?", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } }, Ct);

        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Contains("Why is the sky blue?", reasoning.Text, StringComparison.Ordinal);
        Assert.Contains("\"think\":true", _server.Requests.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolLoop_StreamingThroughFunctionInvocation_SendsTheServerIdBack()
    {
        var tool = AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather");
        using var client = Client().AsBuilder().UseFunctionInvocation().Build();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("call get_weather city=Paris", new ChatOptions { Tools = [tool] }, Ct));

        Assert.Contains("Sunny in Paris", updates.ToChatResponse().Text, StringComparison.Ordinal);
        var call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.Contains($"\"tool_call_id\":\"{call.CallId}\"", _server.Requests[1].Body, StringComparison.Ordinal);
        Assert.Contains("\"tool_name\":\"get_weather\"", _server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, ChatProviderErrorKind.InvalidRequest)]
    [InlineData(401, ChatProviderErrorKind.Authentication)]
    [InlineData(403, ChatProviderErrorKind.PermissionDenied)]
    [InlineData(404, ChatProviderErrorKind.ModelNotFound)]
    [InlineData(429, ChatProviderErrorKind.RateLimited)]
    [InlineData(500, ChatProviderErrorKind.Unavailable)]
    [InlineData(502, ChatProviderErrorKind.Unavailable)]
    [InlineData(504, ChatProviderErrorKind.Timeout)]
    public async Task ErrorStatus_MapsToTheTaxonomy(int status, ChatProviderErrorKind kind)
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", StatusCode = status, RetryAfter = status == 429 ? TimeSpan.FromSeconds(2) : null, Times = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("hi", cancellationToken: Ct)));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(kind, streamed.Kind);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        }
    }

    [Fact]
    public async Task MidStreamError_Throws()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", ErrorType = "model runner has unexpectedly stopped", CutAfterChunks = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Contains("unexpectedly stopped", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CutStream_IsIncomplete()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", CutAfterChunks = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task MalformedLine_IsNotItsDialect()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", MalformedChunkAt = 1 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task SlowFirstByte_HitsTheNetworkTimeout()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", FirstByteDelay = TimeSpan.FromSeconds(5) });
        using var client = new OllamaChatClient(new OllamaChatClientOptions { Endpoint = _server.OllamaEndpoint, Model = "llama3.2", NetworkTimeout = TimeSpan.FromMilliseconds(300) }, _http);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task Streaming_CancelledMidStream_ReleasesTheOnlyConnection()
    {
        await using var slow = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(200) }, Ct);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler);
        using var client = new OllamaChatClient(new OllamaChatClientOptions { Endpoint = slow.OllamaEndpoint, Model = "llama3.2" }, http);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Tell me a long story", cancellationToken: cts.Token))
            {
                if (update.Text.Length > 0 && ++received == 1)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(1, received);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var next = await client.GetResponseAsync("Hi", cancellationToken: deadline.Token);
        Assert.StartsWith("You said \"Hi\"", next.Text, StringComparison.Ordinal);
    }
}
