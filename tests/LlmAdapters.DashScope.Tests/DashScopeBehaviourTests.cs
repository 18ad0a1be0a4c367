// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.DashScope.Tests.DashScopeFixtureTests;

namespace LlmAdapters.DashScope.Tests;

/// <summary>Request mapping, error events in a 200 stream, error codes, and vision routing.</summary>
public sealed class DashScopeBehaviourTests
{
    private const string Ok = """{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]},"usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},"request_id":"r1"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StubHttpHandler Respond(HttpStatusCode status, string body, string contentType = "application/json") =>
        new(request => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType), RequestMessage = request });

    [Fact]
    public async Task Parameters_AreMapped_AndDottedKeysStayLocal()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(Ok));
        using var client = CreateClient(handler);

        await client.GetResponseAsync("hi", new ChatOptions
        {
            Temperature = 0.5f,
            TopP = 0.8f,
            TopK = 20,
            MaxOutputTokens = 100,
            Seed = 7,
            StopSequences = ["END"],
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            ResponseFormat = ChatResponseFormat.Json,
            AdditionalProperties = new() { ["enable_search"] = true, ["llmadapters.tenant"] = "t1" },
        }, Ct);

        Assert.Equal(
            JsonNode.Parse("""
                {"result_format":"message","temperature":0.5,"top_p":0.8,"top_k":20,"max_tokens":100,"seed":7,"stop":["END"],
                 "enable_thinking":true,"thinking_budget":1024,"response_format":{"type":"json_object"},"enable_search":true}
                """),
            JsonNode.Parse(handler.LastRequestBody!)!["parameters"],
            JsonNode.DeepEquals);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation", handler.LastRequest!.RequestUri!.ToString());
    }

    [Fact]
    public async Task ReasoningNone_DisablesThinking()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(Ok));
        using var client = CreateClient(handler);

        await client.GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } }, Ct);

        Assert.Equal("false", JsonNode.Parse(handler.LastRequestBody!)!["parameters"]!["enable_thinking"]!.ToJsonString());
    }

    [Fact]
    public async Task Image_GoesToMultimodalGeneration_AsContentParts()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8("""{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":[{"text":"A pig."}]}}]},"request_id":"r2"}"""));
        using var client = CreateClient(handler, "qwen-vl-max");

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is it?"), new UriContent(new Uri("https://example.com/pig.png"), "image/png")])], cancellationToken: Ct);

        Assert.Equal("A pig.", response.Text);
        Assert.EndsWith("/multimodal-generation/generation", handler.LastRequest!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(
            JsonNode.Parse("""[{"text":"What is it?"},{"image":"https://example.com/pig.png"}]"""),
            JsonNode.Parse(handler.LastRequestBody!)!["input"]!["messages"]![0]!["content"],
            JsonNode.DeepEquals);
    }

    [Fact]
    public async Task ToolRoundTrip_SendsArgumentsAsTextAndTheCallId()
    {
        using var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(Ok));
        using var client = CreateClient(handler);

        await client.GetResponseAsync(
            [
                new(ChatRole.User, "weather?"),
                new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Hangzhou" })]),
                new(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny")]),
            ],
            cancellationToken: Ct);

        var messages = JsonNode.Parse(handler.LastRequestBody!)!["input"]!["messages"]!;
        Assert.Equal("""{"city":"Hangzhou"}""", (string)messages[1]!["tool_calls"]![0]!["function"]!["arguments"]!);
        Assert.Equal("call_1", (string)messages[1]!["tool_calls"]![0]!["id"]!);
        Assert.Equal(JsonNode.Parse("""{"role":"tool","content":"Sunny","tool_call_id":"call_1"}"""), messages[2], JsonNode.DeepEquals);
    }

    [Theory]
    [InlineData("Throttling", ChatProviderErrorKind.RateLimited, true)]
    [InlineData("Throttling.RateQuota", ChatProviderErrorKind.RateLimited, true)]
    [InlineData("Throttling.AllocationQuota", ChatProviderErrorKind.RateLimited, true)]
    [InlineData("InvalidApiKey", ChatProviderErrorKind.Authentication, false)]
    [InlineData("DataInspectionFailed", ChatProviderErrorKind.ContentFiltered, false)]
    [InlineData("ModelNotFound", ChatProviderErrorKind.ModelNotFound, false)]
    [InlineData("InternalError", ChatProviderErrorKind.Unavailable, true)]
    public async Task ErrorEventInA200Stream_ThrowsItsKind(string code, ChatProviderErrorKind kind, bool transient)
    {
        var sse = "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"choices\":[{\"finish_reason\":\"null\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]},\"request_id\":\"r3\"}\n\n" +
                  "id:2\nevent:error\n:HTTP_STATUS/400\ndata:{\"code\":\"" + code + "\",\"message\":\"failed\",\"request_id\":\"r3\"}\n\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"));
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.Equal("Hel", Assert.Single(received).Text);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal("r3", ex.RequestId);
    }

    [Fact]
    public async Task ModelNotExist_IsModelNotFound()
    {
        using var client = CreateClient(Respond(HttpStatusCode.BadRequest, """{"code":"InvalidParameter","message":"Model not exist.","request_id":"r4"}"""));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.ModelNotFound, ex.Kind);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public void CompatibleModeEndpoint_IsRefusedWithAClearMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DashScopeChatClient(new DashScopeChatClientOptions { Endpoint = new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1") }));
        Assert.Contains("'dashscope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamWithoutFinishReason_IsIncomplete()
    {
        var sse = "event:result\ndata:{\"output\":{\"choices\":[{\"finish_reason\":\"null\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]},\"request_id\":\"r5\"}\n\n";
        using var client = CreateClient(Respond(HttpStatusCode.OK, sse, "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
    }
}
