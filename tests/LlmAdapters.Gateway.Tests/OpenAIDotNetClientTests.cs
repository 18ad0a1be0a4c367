// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using LlmAdapters.Emulator;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace LlmAdapters.Gateway.Tests;

/// <summary>The official OpenAI .NET SDK (package <c>OpenAI</c>) against samples/Gateway on the emulator.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenAIDotNetClientTests(GatewayFixture fixture)
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";
    private const string AnswerSchema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(fixture.Gateway.BaseAddress, "/v1"), RetryPolicy = new ClientRetryPolicy(0) };

    private ChatClient Chat(string model = "default", string key = RunningGateway.DemoKey) => new(model, new ApiKeyCredential(key), Options);

    [Fact]
    public async Task Models_ListsTheClientsAndAliasesTheKeyMayUse()
    {
        var all = await new OpenAIModelClient(new ApiKeyCredential(RunningGateway.DemoKey), Options).GetModelsAsync(Ct);
        var limited = await new OpenAIModelClient(new ApiKeyCredential(RunningGateway.LimitedKey), Options).GetModelsAsync(Ct);

        Assert.Contains(all.Value, m => m.Id == "default");
        Assert.Contains(all.Value, m => m.Id == "gpt-4o-mini");
        Assert.Equal(["fast"], limited.Value.Select(m => m.Id));
    }

    [Fact]
    public async Task NonStreaming_TextFinishAndUsage()
    {
        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Hello gateway")], cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello gateway\".", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0 && completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_TextThenUsage()
    {
        var text = string.Empty;
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Stream to me")], new ChatCompletionOptions(), Ct))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.StartsWith("You said \"Stream to me\".", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Tools_FullRoundTrip_TheCallComesBackToTheCaller()
    {
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString(WeatherSchema)) } };
        List<ChatMessage> messages = [new UserChatMessage("call get_weather city=Paris")];

        ChatCompletion first = await Chat().CompleteChatAsync(messages, options, Ct);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "21 degrees and sunny"));
        ChatCompletion second = await Chat().CompleteChatAsync(messages, options, Ct);

        Assert.Contains("21 degrees and sunny", second.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonSchema_TheReplyParsesAsTheSchema()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(AnswerSchema), jsonSchemaIsStrict: true) };

        ChatCompletion completion = await Chat().CompleteChatAsync([new UserChatMessage("Answer in JSON")], options, Ct);

        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("answer").ValueKind);
    }

    public static TheoryData<string, int, string?> UpstreamErrors { get; } = new()
    {
        { """{"statusCode":400,"body":"{\"error\":{\"message\":\"maximum context length\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}"}""", 400, "context_length_exceeded" },
        { """{"statusCode":429,"retryAfter":"00:00:07"}""", 429, "rate_limit_exceeded" },
        { """{"statusCode":200,"body":"garbage"}""", 500, null },
        { """{"statusCode":500}""", 502, "upstream_unavailable" },
        { """{"statusCode":503}""", 503, "overloaded" },
        { """{"statusCode":504}""", 504, "timeout" },
    };

    [Theory]
    [MemberData(nameof(UpstreamErrors))]
    public async Task UpstreamError_TheTaxonomysStatusAndCode(string fault, int status, string? code)
    {
        fixture.Gateway.Emulator.Faults.Enqueue(JsonSerializer.Deserialize<EmulatorFault>(fault, JsonSerializerOptions.Web)!);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat().CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct));

        Assert.Equal(status, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(code, body.GetProperty("code").GetString());
        if (status == 429)
        {
            Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
            Assert.Equal("7", retryAfter);
        }
    }

    [Theory]
    [InlineData("default", "sk-wrong", 401)]
    [InlineData("default", RunningGateway.LimitedKey, 403)]
    [InlineData("no-such-model", RunningGateway.DemoKey, 404)]
    public async Task GatewayRefusal_StatusForKeyAndModel(string model, string key, int status)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(model, key).CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: Ct));

        Assert.Equal(status, error.Status);
        Assert.DoesNotContain("sk-wrong", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_EndsTheCallAndTheProviderCall()
    {
        fixture.Gateway.Emulator.Faults.Enqueue(new EmulatorFault { FirstByteDelay = TimeSpan.FromSeconds(30) });
        var before = fixture.Gateway.Logs.GetSnapshot().Count(r => r.Id.Name == "GatewayCallCancelled");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Chat().CompleteChatAsync([new UserChatMessage("Slow")], cancellationToken: cts.Token));

        for (var i = 0; i < 200 && fixture.Gateway.Logs.GetSnapshot().Count(r => r.Id.Name == "GatewayCallCancelled") <= before; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, Ct);
        }

        Assert.True(fixture.Gateway.Logs.GetSnapshot().Count(r => r.Id.Name == "GatewayCallCancelled") > before, "the provider call was not cancelled");
    }
}
