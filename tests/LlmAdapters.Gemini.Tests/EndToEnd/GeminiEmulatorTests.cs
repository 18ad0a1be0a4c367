// Licensed under the MIT License.

using System.Text.Json.Nodes;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using static LlmAdapters.Gemini.Tests.TestSupport;

namespace LlmAdapters.Gemini.Tests.EndToEnd;

/// <summary>The adapter against the emulator's Gemini dialect, over real HTTP on loopback.</summary>
public sealed class GeminiEmulatorTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private GeminiChatClient CreateEmulatorClient(string model = "gemini-2.5-flash", HttpClient? http = null) =>
        new(new GeminiChatClientOptions { Endpoint = _server.GeminiEndpoint, ApiKey = ApiKey, Model = model }, http);

    [Fact]
    public async Task Streaming_TextArrivesInPieces_SameAnswerAsNonStreaming()
    {
        using var client = CreateEmulatorClient();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Tell me about streaming", cancellationToken: Ct));
        var streamed = updates.ToChatResponse();
        var whole = await client.GetResponseAsync("Tell me about streaming", cancellationToken: Ct);

        Assert.True(updates.Count(u => u.Contents.OfType<TextContent>().Any()) > 3);
        Assert.StartsWith("You said \"Tell me about streaming\".", streamed.Text, StringComparison.Ordinal);
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.ResponseId, streamed.ResponseId);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);

        var request = _server.Requests[0];
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent", request.Path);
        Assert.Equal(ApiKey, request.Headers["x-goog-api-key"]);
    }

    [Theory]
    [InlineData(false, "gemini-2.5-flash")]
    [InlineData(true, "gemini-2.5-flash")]
    [InlineData(false, "gemini-3-pro-preview")]
    [InlineData(true, "gemini-3-pro-preview")]
    public async Task ToolLoop_ThroughFunctionInvokingChatClient_SignaturesGoBack(bool streaming, string model)
    {
        string? seenCity = null;
        var weather = AIFunctionFactory.Create((string city) => { seenCity = city; return $"Sunny in {city}"; }, "get_weather", "Gets the weather.");
        using var client = CreateEmulatorClient(model).AsBuilder().UseFunctionInvocation().Build();
        ChatOptions options = new() { Tools = [weather] };

        var response = streaming
            ? (await CollectAsync(client.GetStreamingResponseAsync("Please call get_weather with city=Paris", options, Ct))).ToChatResponse()
            : await client.GetResponseAsync("Please call get_weather with city=Paris", options, Ct);

        // On Gemini 3 the emulator answers 400 unless the call's thoughtSignature comes back, as the real API does.
        Assert.Equal("Paris", seenCity);
        Assert.Equal("The tool returned: Sunny in Paris.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2, _server.RequestCount);
        var second = JsonNode.Parse(_server.Requests[1].Body)!["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], second.Select(c => (string)c!["role"]!));
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        var received = Assert.IsType<string>(call.AdditionalProperties![GeminiChatClient.ThoughtSignaturePropertyName]);
        Assert.Equal(received, (string)second[1]!["parts"]![0]!["thoughtSignature"]!);
        Assert.Equal("get_weather", (string)second[2]!["parts"]![0]!["functionResponse"]!["name"]!);
    }

    [Fact]
    public async Task Gemini3_FunctionCallReplayedWithoutItsSignature_IsInvalidRequest()
    {
        using var client = CreateEmulatorClient("gemini-3-pro-preview");
        var first = await client.GetResponseAsync("Please call get_weather with city=Paris", new() { Tools = [AIFunctionFactory.Create((string city) => city, "get_weather")] }, Ct);
        var call = Assert.Single(first.Messages.Single().Contents.OfType<FunctionCallContent>());
        call.AdditionalProperties = null;

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(
            [new(ChatRole.User, "Please call get_weather with city=Paris"), new(ChatRole.Assistant, [call]), new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Sunny")])],
            cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Contains("thought_signature", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thoughts_ComeAsReasoningWithTheirSignature_AndGoBackOnTheNextTurn(bool streaming)
    {
        using var client = CreateEmulatorClient("gemini-3-flash-preview");
        ChatOptions options = new() { Reasoning = new() { Effort = ReasoningEffort.Low, Output = ReasoningOutput.Full } };

        var response = streaming
            ? (await CollectAsync(client.GetStreamingResponseAsync("Why is the sky blue?", options, Ct))).ToChatResponse()
            : await client.GetResponseAsync("Why is the sky blue?", options, Ct);

        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Contains(reasoning, r => r.Text.Length > 0);
        var signature = Assert.Single(reasoning, r => r.ProtectedData is not null).ProtectedData;
        Assert.True(response.Usage!.ReasoningTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > response.Usage.ReasoningTokenCount);
        Assert.DoesNotContain(reasoning.Where(r => r.Text.Length > 0).Select(r => r.Text), response.Text.Contains);

        await client.GetResponseAsync([new(ChatRole.User, "Why is the sky blue?"), .. response.Messages, new(ChatRole.User, "Thanks")], options, Ct);

        var replayed = JsonNode.Parse(_server.Requests[^1].Body)!["contents"]![1]!["parts"]!.AsArray();
        Assert.Contains(replayed, p => (bool?)p!["thought"] == true);
        Assert.Contains(replayed, p => (string?)p!["thoughtSignature"] == signature);
        var thinking = JsonNode.Parse(_server.Requests[0].Body)!["generationConfig"]!["thinkingConfig"]!;
        AssertJson("""{"thinkingLevel":"low","includeThoughts":true}""", thinking);
    }

    [Theory]
    [InlineData(400, ChatProviderErrorKind.InvalidRequest, false)]
    [InlineData(401, ChatProviderErrorKind.Authentication, false)]
    [InlineData(403, ChatProviderErrorKind.PermissionDenied, false)]
    [InlineData(404, ChatProviderErrorKind.ModelNotFound, false)]
    [InlineData(429, ChatProviderErrorKind.RateLimited, true)]
    [InlineData(500, ChatProviderErrorKind.Unavailable, true)]
    [InlineData(503, ChatProviderErrorKind.Overloaded, true)]
    [InlineData(504, ChatProviderErrorKind.Timeout, true)]
    public async Task Faults_EachErrorKind_StreamingAndNot(int status, ChatProviderErrorKind kind, bool transient)
    {
        using var client = CreateEmulatorClient();
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "gemini", StatusCode = status, Times = 2 });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        foreach (var e in new[] { ex, streamed })
        {
            Assert.Equal(kind, e.Kind);
            Assert.Equal(transient, e.IsTransient);
            Assert.Equal(status, (int)e.StatusCode!);
            Assert.NotNull(e.RequestId);
        }
    }

    [Fact]
    public async Task Faults_ErrorChunkMidStream_AfterTheFirstText()
    {
        using var client = CreateEmulatorClient();
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "gemini", ErrorType = "UNAVAILABLE", CutAfterChunks = 1 });
        var texts = new List<string>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Tell me about streaming", cancellationToken: Ct))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Single(texts);
        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Faults_CutOrMalformed_AreTransientOrUnknown(bool malformed)
    {
        using var client = CreateEmulatorClient();
        _server.Faults.Enqueue(malformed ? new EmulatorFault { Dialect = "gemini", MalformedChunkAt = 2 } : new EmulatorFault { Dialect = "gemini", CutAfterChunks = 2 });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Tell me about streaming", cancellationToken: Ct)));

        Assert.Equal(malformed ? ChatProviderErrorKind.Unknown : ChatProviderErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task Cancellation_MidStream_ReleasesTheOnlyConnection()
    {
        await using var slow = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(200) }, Ct);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler);
        using var client = new GeminiChatClient(new GeminiChatClientOptions { Endpoint = slow.GeminiEndpoint, ApiKey = ApiKey, Model = "gemini-2.5-flash" }, http);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Tell me a long story", cancellationToken: cts.Token))
            {
                if (update.Contents.OfType<TextContent>().Any() && ++received == 1)
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
        Assert.Equal(2, slow.RequestCount);
    }

    [Fact]
    public async Task NoKey_ThePermissionDeniedTheApiAnswers()
    {
        using var client = new GeminiChatClient(new GeminiChatClientOptions { Endpoint = _server.GeminiEndpoint, Model = "gemini-2.5-flash" });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.PermissionDenied, ex.Kind);
    }
}
