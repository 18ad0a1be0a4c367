// Licensed under the MIT License.

using System.Net;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using static LlmAdapters.DashScope.Tests.DashScopeFixtureTests;

namespace LlmAdapters.DashScope.Tests.EndToEnd;

/// <summary>The adapter against the emulator's DashScope dialect over real loopback HTTP: streaming, thinking, tools, every error kind, cancellation.</summary>
public sealed class DashScopeEmulatorTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    private DashScopeChatClient Client() => new(new DashScopeChatClientOptions { Endpoint = _server.DashScopeEndpoint, ApiKey = ApiKey, Model = "qwen-plus" }, _http);

    [Fact]
    public async Task Streaming_TextUsageAndRequestId()
    {
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct));

        var response = updates.ToChatResponse();
        Assert.StartsWith("You said \"Hello there\"", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.StartsWith("emu-", response.ResponseId, StringComparison.Ordinal);
        var request = _server.Requests.Single();
        Assert.Equal("enable", request.Headers["X-DashScope-SSE"]);
        Assert.Contains("\"incremental_output\":true", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thinking_StreamsReasoningFirst()
    {
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Why is the sky blue?", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, Ct));

        Assert.IsType<TextReasoningContent>(updates[0].Contents[0]);
        Assert.Contains("Why is the sky blue?", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text)), StringComparison.Ordinal);
        Assert.Contains("\"thinking_budget\":16384", _server.Requests.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolLoop_StreamingThroughFunctionInvocation()
    {
        var tool = AIFunctionFactory.Create((string city) => $"Sunny in {city}", "get_weather");
        using var client = Client().AsBuilder().UseFunctionInvocation().Build();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("call get_weather city=Hangzhou", new ChatOptions { Tools = [tool] }, Ct));

        Assert.Contains("Sunny in Hangzhou", updates.ToChatResponse().Text, StringComparison.Ordinal);
        var call = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal("Hangzhou", call.Arguments!["city"]!.ToString());
        Assert.Contains($"\"tool_call_id\":\"{call.CallId}\"", _server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, null, ChatProviderErrorKind.InvalidRequest)]
    [InlineData(400, "DataInspectionFailed", ChatProviderErrorKind.ContentFiltered)]
    [InlineData(401, null, ChatProviderErrorKind.Authentication)]
    [InlineData(403, null, ChatProviderErrorKind.PermissionDenied)]
    [InlineData(404, null, ChatProviderErrorKind.ModelNotFound)]
    [InlineData(429, null, ChatProviderErrorKind.RateLimited)]
    [InlineData(500, null, ChatProviderErrorKind.Unavailable)]
    public async Task ErrorStatus_MapsToTheTaxonomy(int status, string? code, ChatProviderErrorKind kind)
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "dashscope", StatusCode = status, ErrorType = code, Times = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("hi", cancellationToken: Ct)));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(kind, streamed.Kind);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.StartsWith("emu-", ex.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEventMidStream_Throws()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "dashscope", ErrorType = "Throttling.RateQuota", CutAfterChunks = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
    }

    [Fact]
    public async Task NoKey_IsAuthentication()
    {
        using var client = new DashScopeChatClient(new DashScopeChatClientOptions { Endpoint = _server.DashScopeEndpoint, Model = "qwen-plus" }, _http);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
    }

    [Fact]
    public async Task CutStream_IsIncomplete()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "dashscope", CutAfterChunks = 2 });
        using var client = Client();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hello there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task Streaming_CancelledMidStream_ReleasesTheOnlyConnection()
    {
        await using var slow = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(200) }, Ct);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler);
        using var client = new DashScopeChatClient(new DashScopeChatClientOptions { Endpoint = slow.DashScopeEndpoint, ApiKey = ApiKey, Model = "qwen-plus" }, http);
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
