// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests.EndToEnd;

/// <summary>The adapter against the emulator's Anthropic dialect, over real HTTP on loopback.</summary>
public sealed class AnthropicEmulatorTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private AnthropicChatClient CreateEmulatorClient(HttpClient? http = null, string model = "claude-emulator-1") =>
        new(new AnthropicChatClientOptions { Endpoint = _server.AnthropicEndpoint, ApiKey = ApiKey, Model = model }, http);

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
        Assert.StartsWith("msg_emu-", streamed.ResponseId, StringComparison.Ordinal);
        Assert.All(updates, u => Assert.Equal(streamed.ResponseId, u.MessageId));
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Equal(streamed.Usage.InputTokenCount + streamed.Usage.OutputTokenCount, streamed.Usage.TotalTokenCount);

        var request = _server.Requests[0];
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(ApiKey, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
    }

    [Fact]
    public async Task MaxOutputTokens_Small_FinishReasonLength()
    {
        using var client = CreateEmulatorClient();

        var response = await client.GetResponseAsync("Tell me a long story please", new() { MaxOutputTokens = 3 }, Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(3, (int)JsonDocument.Parse(_server.Requests[0].Body).RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolLoop_ThroughFunctionInvokingChatClient_CallsFunctionAndAnswers(bool streaming)
    {
        string? seenCity = null;
        var weather = AIFunctionFactory.Create((string city) => { seenCity = city; return $"Sunny in {city}"; }, "get_weather", "Gets the weather.");
        using var client = CreateEmulatorClient().AsBuilder().UseFunctionInvocation().Build();
        ChatOptions options = new() { Tools = [weather] };

        var response = streaming
            ? (await CollectAsync(client.GetStreamingResponseAsync("Please call get_weather with city=Paris", options, Ct))).ToChatResponse()
            : await client.GetResponseAsync("Please call get_weather with city=Paris", options, Ct);

        Assert.Equal("Paris", seenCity);
        Assert.Equal("The tool returned: Sunny in Paris.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2, _server.RequestCount);
        using var second = JsonDocument.Parse(_server.Requests[1].Body);
        var messages = second.RootElement.GetProperty("messages");
        Assert.Equal("tool_use", messages[1].GetProperty("content")[0].GetProperty("type").GetString());
        var result = messages[2].GetProperty("content")[0];
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal(messages[1].GetProperty("content")[0].GetProperty("id").GetString(), result.GetProperty("tool_use_id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Thinking_ToolLoopAcrossTurns_SignedThinkingSentBackFirst(bool streaming)
    {
        var weather = AIFunctionFactory.Create((string city) => $"Rain in {city}", "get_weather");
        using var client = CreateEmulatorClient().AsBuilder().UseFunctionInvocation().Build();
        ChatOptions options = new() { Tools = [weather], Reasoning = new() { Effort = ReasoningEffort.Low } };
        List<ChatMessage> history = [new(ChatRole.User, "Use get_weather with city=Oslo")];

        var response = streaming
            ? (await CollectAsync(client.GetStreamingResponseAsync(history, options, Ct))).ToChatResponse()
            : await client.GetResponseAsync(history, options, Ct);

        // The emulator rejects a tool loop whose assistant turn lacks its signed thinking block: two requests prove the round-trip.
        Assert.Equal(2, _server.RequestCount);
        Assert.Contains("Rain in Oslo", response.Text, StringComparison.Ordinal);
        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Last();
        Assert.False(string.IsNullOrEmpty(reasoning.ProtectedData));
        using var second = JsonDocument.Parse(_server.Requests[1].Body);
        var assistant = second.RootElement.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("thinking", assistant[0].GetProperty("type").GetString());
        Assert.Equal("tool_use", assistant[1].GetProperty("type").GetString());
        Assert.Equal("""{"type":"enabled","budget_tokens":1024}""", second.RootElement.GetProperty("thinking").GetRawText());

        // The next user turn sends the whole history back, every signature intact.
        history.AddRange(response.Messages);
        history.Add(new(ChatRole.User, "Thanks"));
        var next = await client.GetResponseAsync(history, options, Ct);
        Assert.Equal(ChatFinishReason.Stop, next.FinishReason);
    }

    [Fact]
    public async Task Thinking_TamperedThinkingText_RejectedByEmulator()
    {
        using var client = CreateEmulatorClient();
        ChatOptions options = new() { Reasoning = new() { Effort = ReasoningEffort.Medium } };
        var first = await client.GetResponseAsync("Think about tea", options, Ct);
        var reasoning = Assert.IsType<TextReasoningContent>(first.Messages[0].Contents[0]);
        reasoning.Text += " (edited)";

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new(ChatRole.User, "Think about tea"), .. first.Messages, new(ChatRole.User, "More")], options, Ct));

        Assert.Equal(ChatProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Contains("signature", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StructuredOutput_NativeAndForcedTool_BothGiveJsonText()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}""").RootElement;
        using var native = CreateEmulatorClient();
        using var forced = CreateEmulatorClient(model: "claude-3-5-haiku-latest");

        var a = await native.GetResponseAsync("Give me JSON", new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) }, Ct);
        var b = await forced.GetResponseAsync("Give me JSON", new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) }, Ct);

        Assert.StartsWith("You said", JsonDocument.Parse(a.Text).RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("You said", JsonDocument.Parse(b.Text).RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, b.FinishReason);
        Assert.Contains("output_config", _server.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"tool_choice\":{\"type\":\"tool\",\"name\":\"json_response\"}", _server.Requests[1].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, ChatProviderErrorKind.InvalidRequest, "invalid_request_error")]
    [InlineData(401, ChatProviderErrorKind.Authentication, "authentication_error")]
    [InlineData(403, ChatProviderErrorKind.PermissionDenied, "permission_error")]
    [InlineData(404, ChatProviderErrorKind.ModelNotFound, "not_found_error")]
    [InlineData(413, ChatProviderErrorKind.InvalidRequest, "request_too_large")]
    [InlineData(429, ChatProviderErrorKind.RateLimited, "rate_limit_error")]
    [InlineData(500, ChatProviderErrorKind.Unavailable, "api_error")]
    [InlineData(504, ChatProviderErrorKind.Timeout, "timeout_error")]
    [InlineData(529, ChatProviderErrorKind.Overloaded, "overloaded_error")]
    public async Task Fault_Status_MapsToKind(int status, ChatProviderErrorKind kind, string type)
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", StatusCode = status, RetryAfter = status == 429 ? TimeSpan.FromSeconds(3) : null });
        using var client = CreateEmulatorClient();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, (int)ex.StatusCode!);
        Assert.Equal(type, ex.ErrorType);
        Assert.Equal(ChatProviderException.IsTransientKind(kind), ex.IsTransient);
        Assert.Equal("req_emu_1", ex.RequestId);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(3) : null, ex.RetryAfter);
    }

    [Fact]
    public async Task Fault_StreamingStatus_ThrowsBeforeAnyUpdate()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", StatusCode = 529 });
        using var client = CreateEmulatorClient();
        var seen = 0;

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                seen++;
            }
        });

        Assert.Equal(0, seen);
        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
    }

    [Theory]
    [InlineData("overloaded_error", ChatProviderErrorKind.Overloaded)]
    [InlineData("api_error", ChatProviderErrorKind.Unavailable)]
    public async Task Fault_ErrorEventMidStream_ThrowsAfterPartialText(string type, ChatProviderErrorKind kind)
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", ErrorType = type, CutAfterChunks = 5 });
        using var client = CreateEmulatorClient();
        var text = string.Empty;

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi there", cancellationToken: Ct))
            {
                text += update.Text;
            }
        });

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(type, ex.ErrorType);
        Assert.Null(ex.StatusCode);
        Assert.NotEmpty(text);
        Assert.Equal("req_emu_1", ex.RequestId);
    }

    [Fact]
    public async Task Fault_ConnectionCutMidStream_ThrowsNotSilentSuccess()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", CutAfterChunks = 4 });
        using var client = CreateEmulatorClient();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Fault_MalformedChunk_ThrowsUnknown()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", MalformedChunkAt = 3 });
        using var client = CreateEmulatorClient();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi there", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
    }

    [Fact]
    public async Task NoApiKey_EmulatorRejects_Authentication()
    {
        using var client = new AnthropicChatClient(new AnthropicChatClientOptions { Endpoint = _server.AnthropicEndpoint, Model = "m" });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }
}
