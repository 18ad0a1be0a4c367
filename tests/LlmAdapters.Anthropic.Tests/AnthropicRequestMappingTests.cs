// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>ChatOptions and content to the Messages API request.</summary>
public sealed class AnthropicRequestMappingTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;

    private static async Task<JsonNode> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, Action<AnthropicChatClientOptions>? configure = null)
    {
        var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler, configure);
        await client.GetResponseAsync(messages, options, Ct);
        return JsonNode.Parse(handler.LastRequestBody!)!;
    }

    private static void AssertJson(string expected, JsonNode? actual) => VerbatimHttpHandler.AssertJsonEqual(expected, actual?.ToJsonString() ?? "null");

    [Fact]
    public async Task System_MessagesAndInstructions_GoToTopLevelSystem()
    {
        var body = await SendAsync(
            [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.System, "Answer in French.")],
            new() { Instructions = "You are a weather bot." });

        AssertJson("""[{"type":"text","text":"You are a weather bot."},{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}]""", body["system"]);
        AssertJson("""[{"role":"user","content":"Hi"}]""", body["messages"]);
    }

    [Fact]
    public async Task System_SingleMessage_IsAString()
    {
        var body = await SendAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")]);

        Assert.Equal("Be brief.", (string?)body["system"]);
    }

    [Fact]
    public async Task Messages_ConsecutiveSameRole_Merged()
    {
        var body = await SendAsync(
            [
                new(ChatRole.User, "One"),
                new(ChatRole.User, "Two"),
                new(ChatRole.Assistant, "A"),
                new(ChatRole.Assistant, [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["x"] = 1 })]),
                new(ChatRole.Tool, [new FunctionResultContent("c1", "r1")]),
                new(ChatRole.User, "Three"),
            ]);

        AssertJson(
            """
            [
              {"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]},
              {"role":"assistant","content":[{"type":"text","text":"A"},{"type":"tool_use","id":"c1","name":"f","input":{"x":1}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"r1"},{"type":"text","text":"Three"}]}
            ]
            """,
            body["messages"]);
    }

    [Fact]
    public async Task Content_ImagesAndDocuments_MappedToBlocks()
    {
        var body = await SendAsync(
            [
                new(ChatRole.User,
                [
                    new TextContent("Look"),
                    new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
                    new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg"),
                    new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf"),
                    new UriContent(new Uri("https://example.com/paper.pdf"), "application/pdf"),
                    new DataContent("hello"u8.ToArray(), "text/plain"),
                ]),
            ]);

        AssertJson(
            """
            [{"role":"user","content":[
              {"type":"text","text":"Look"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AQID"}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERg=="}},
              {"type":"document","source":{"type":"url","url":"https://example.com/paper.pdf"}},
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"hello"}}
            ]}]
            """,
            body["messages"]);
    }

    [Fact]
    public async Task Content_Audio_ThrowsNotSupported()
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => SendAsync([new(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])]));
        Assert.Contains("audio/wav", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolResult_Exception_IsError()
    {
        var body = await SendAsync(
            [
                new(ChatRole.User, "Go"),
                new(ChatRole.Assistant, [new FunctionCallContent("c1", "f")]),
                new(ChatRole.Tool, [new FunctionResultContent("c1", "Error: Function failed.") { Exception = new InvalidOperationException("boom") }]),
            ]);

        AssertJson("""{"type":"tool_use","id":"c1","name":"f","input":{}}""", body["messages"]![1]!["content"]![0]);
        AssertJson("""{"type":"tool_result","tool_use_id":"c1","content":"Error: Function failed.","is_error":true}""", body["messages"]![2]!["content"]![0]);
    }

    [Fact]
    public async Task ToolResult_ObjectAndContents_Serialized()
    {
        var body = await SendAsync(
            [
                new(ChatRole.User, "Go"),
                new(ChatRole.Assistant, [new FunctionCallContent("c1", "f"), new FunctionCallContent("c2", "g")]),
                new(ChatRole.Tool, [new FunctionResultContent("c1", 42), new FunctionResultContent("c2", new AIContent[] { new TextContent("see"), new DataContent(new byte[] { 1 }, "image/png") })]),
            ]);

        AssertJson(
            """
            [{"type":"tool_result","tool_use_id":"c1","content":"42"},
             {"type":"tool_result","tool_use_id":"c2","content":[{"type":"text","text":"see"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AQ=="}}]}]
            """,
            body["messages"]![2]!["content"]);
    }

    [Fact]
    public async Task Reasoning_RoundTrip_ThinkingAndRedactedUntouched_UnsignedDropped()
    {
        var redacted = new TextReasoningContent(string.Empty) { ProtectedData = "ENCRYPTED", AdditionalProperties = new() { [AnthropicChatClient.RedactedThinkingPropertyName] = true } };
        var body = await SendAsync(
            [
                new(ChatRole.User, "Q"),
                new(ChatRole.Assistant, [new TextReasoningContent("thought") { ProtectedData = "SIG" }, redacted, new TextReasoningContent("other provider"), new TextContent("A")]),
                new(ChatRole.User, "Q2"),
            ]);

        AssertJson(
            """[{"type":"thinking","thinking":"thought","signature":"SIG"},{"type":"redacted_thinking","data":"ENCRYPTED"},{"type":"text","text":"A"}]""",
            body["messages"]![1]!["content"]);
    }

    [Fact]
    public async Task RedactedThinking_FromResponse_RoundTripsRaw()
    {
        var response = """
            {"id":"msg_r","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
              {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},{"type":"text","text":"ok"}],
             "stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}
            """;
        using var first = CreateClient(new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(response)));
        var previous = await first.GetResponseAsync("Q", cancellationToken: Ct);
        var reasoning = Assert.IsType<TextReasoningContent>(previous.Messages[0].Contents[0]);
        Assert.Equal("EmwKAhgBEgy3va3pzix", reasoning.ProtectedData);
        Assert.Equal(string.Empty, reasoning.Text);

        var body = await SendAsync([new(ChatRole.User, "Q"), .. previous.Messages, new(ChatRole.User, "Q2")]);

        AssertJson("""[{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},{"type":"text","text":"ok"}]""", body["messages"]![1]!["content"]);
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, 1024)]
    [InlineData(ReasoningEffort.Medium, 4096)]
    [InlineData(ReasoningEffort.High, 16384)]
    [InlineData(ReasoningEffort.ExtraHigh, 24576)]
    public async Task Reasoning_Effort_MapsToBudgetPlusDefaultOutput(ReasoningEffort effort, int budget)
    {
        var body = await SendAsync([new(ChatRole.User, "Q")], new() { Reasoning = new() { Effort = effort } });

        AssertJson($$"""{"type":"enabled","budget_tokens":{{budget}}}""", body["thinking"]);
        Assert.Equal(budget + 4096, (int)body["max_tokens"]!);
    }

    [Fact]
    public async Task Reasoning_EffortNone_Disabled()
    {
        var body = await SendAsync([new(ChatRole.User, "Q")], new() { Reasoning = new() { Effort = ReasoningEffort.None } });

        AssertJson("""{"type":"disabled"}""", body["thinking"]);
        Assert.Equal(4096, (int)body["max_tokens"]!);
    }

    [Fact]
    public async Task Reasoning_WithSmallMaxOutputTokens_BudgetCappedAtHalf()
    {
        var body = await SendAsync([new(ChatRole.User, "Q")], new() { MaxOutputTokens = 8000, Reasoning = new() { Effort = ReasoningEffort.High, Output = ReasoningOutput.None } });

        AssertJson("""{"type":"enabled","budget_tokens":4000,"display":"omitted"}""", body["thinking"]);
        Assert.Equal(8000, (int)body["max_tokens"]!);
    }

    [Fact]
    public async Task Reasoning_MaxOutputTokensTooSmall_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SendAsync([new(ChatRole.User, "Q")], new() { MaxOutputTokens = 1000, Reasoning = new() { Effort = ReasoningEffort.Low } }));
    }

    [Fact]
    public async Task Sampling_AndStops_Mapped()
    {
        var body = await SendAsync(
            [new(ChatRole.User, "Q")],
            new() { Temperature = 0.7f, TopP = 0.9f, TopK = 40, StopSequences = ["END", "STOP"], MaxOutputTokens = 300, ModelId = "claude-opus-4-5" });

        AssertJson(
            """{"model":"claude-opus-4-5","max_tokens":300,"temperature":0.7,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],"messages":[{"role":"user","content":"Q"}]}""",
            body);
    }

    [Fact]
    public async Task ToolMode_MapsToToolChoice()
    {
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "Weather", s_schema);

        AssertJson("""{"type":"auto"}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = ChatToolMode.Auto }))["tool_choice"]);
        AssertJson("""{"type":"any"}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = ChatToolMode.RequireAny }))["tool_choice"]);
        AssertJson("""{"type":"tool","name":"get_weather"}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("get_weather") }))["tool_choice"]);
        AssertJson("""{"type":"none"}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = ChatToolMode.None }))["tool_choice"]);
        Assert.Null((await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool] }))["tool_choice"]);
        AssertJson("""{"type":"auto","disable_parallel_tool_use":true}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], AllowMultipleToolCalls = false }))["tool_choice"]);
        AssertJson("""{"type":"any","disable_parallel_tool_use":true}""", (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false }))["tool_choice"]);
    }

    [Fact]
    public async Task Tools_FunctionDeclaration_InputSchemaPassedThrough()
    {
        var body = await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Weather", s_schema)] });

        AssertJson("""[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""", body["tools"]);
    }

    [Fact]
    public async Task Tools_UnsupportedHostedTool_ThrowsNotSupported()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => SendAsync([new(ChatRole.User, "Q")], new() { Tools = [new HostedCodeInterpreterTool()] }));
    }

    [Fact]
    public async Task CacheControl_OnMessageContentAndTool_SetsBreakpoints()
    {
        var tool = AIFunctionFactory.CreateDeclaration("f", "F", s_schema);
        var body = await SendAsync(
            [
                new(ChatRole.System, "Long system prompt") { AdditionalProperties = new() { [AnthropicChatClient.CacheControlPropertyName] = "1h" } },
                new(ChatRole.User, [new TextContent("doc") { AdditionalProperties = new() { ["cache_control"] = "ephemeral" } }, new TextContent("question")]),
                new(ChatRole.Assistant, "A"),
                new(ChatRole.User, "Q2") { AdditionalProperties = new() { ["cache_control"] = JsonDocument.Parse("""{"type":"ephemeral","ttl":"5m"}""").RootElement } },
            ],
            new()
            {
                Tools = [new CacheableFunction(tool)],
            });

        AssertJson("""[{"type":"text","text":"Long system prompt","cache_control":{"type":"ephemeral","ttl":"1h"}}]""", body["system"]);
        AssertJson(
            """
            [
              {"role":"user","content":[{"type":"text","text":"doc","cache_control":{"type":"ephemeral"}},{"type":"text","text":"question"}]},
              {"role":"assistant","content":"A"},
              {"role":"user","content":[{"type":"text","text":"Q2","cache_control":{"type":"ephemeral","ttl":"5m"}}]}
            ]
            """,
            body["messages"]);
        AssertJson("""{"type":"ephemeral"}""", body["tools"]![0]!["cache_control"]);
    }

    [Fact]
    public async Task CacheControl_InvalidValue_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SendAsync([new(ChatRole.User, "Q") { AdditionalProperties = new() { ["cache_control"] = 42 } }]));
    }

    [Fact]
    public async Task RawRepresentationFactory_JsonObject_MergedOverComputedRequest()
    {
        var body = await SendAsync(
            [new(ChatRole.User, "Q")],
            new()
            {
                Temperature = 0.2f,
                RawRepresentationFactory = _ => new JsonObject { ["metadata"] = new JsonObject { ["user_id"] = "u-1" }, ["temperature"] = 1, ["stream"] = true },
            });

        AssertJson("""{"user_id":"u-1"}""", body["metadata"]);
        Assert.Equal(1, (int)body["temperature"]!);
        Assert.Null(body["stream"]);
        Assert.Equal("Q", (string?)body["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task ResponseFormat_ModelWithNativeSupport_OutputConfigWithClosedObjects()
    {
        var body = await SendAsync([new(ChatRole.User, "Q")], new() { ModelId = "claude-sonnet-4-5", ResponseFormat = ChatResponseFormat.ForJsonSchema(s_schema, "City") });

        AssertJson(
            """{"format":{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}""",
            body["output_config"]);
        Assert.Null(body["tools"]);
    }

    [Fact]
    public async Task ResponseFormat_OlderModel_ForcedResponseTool()
    {
        var response = """
            {"id":"msg_t","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[
              {"type":"tool_use","id":"toolu_1","name":"json_response","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5}}
            """;
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(response));
        using var client = CreateClient(handler);

        var result = await client.GetResponseAsync(
            [new(ChatRole.User, "Q")], new() { ModelId = "claude-3-5-haiku-latest", ResponseFormat = ChatResponseFormat.ForJsonSchema(s_schema, "City", "A city.") }, Ct);

        var body = JsonNode.Parse(handler.LastRequestBody!)!;
        Assert.Null(body["output_config"]);
        AssertJson("""[{"name":"json_response","description":"A city.","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""", body["tools"]);
        AssertJson("""{"type":"tool","name":"json_response"}""", body["tool_choice"]);
        Assert.Equal("""{"city":"Paris"}""", result.Text);
        Assert.Equal(ChatFinishReason.Stop, result.FinishReason);
        Assert.DoesNotContain(result.Messages[0].Contents, c => c is FunctionCallContent);
    }

    [Fact]
    public async Task ResponseFormat_ForcedToolWithArraySchema_WrappedAndUnwrapped()
    {
        var response = """
            {"id":"msg_t","type":"message","role":"assistant","model":"m","content":[
              {"type":"tool_use","id":"toolu_1","name":"json_response","input":{"value":[1,2]}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5}}
            """;
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(response));
        using var client = CreateClient(handler, o => o.NativeStructuredOutput = false);
        var schema = JsonDocument.Parse("""{"type":"array","items":{"type":"integer"}}""").RootElement;

        var result = await client.GetResponseAsync([new(ChatRole.User, "Q")], new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) }, Ct);

        var body = JsonNode.Parse(handler.LastRequestBody!)!;
        AssertJson(
            """{"type":"object","properties":{"value":{"type":"array","items":{"type":"integer"}}},"required":["value"],"additionalProperties":false}""",
            body["tools"]![0]!["input_schema"]);
        Assert.Equal("[1,2]", result.Text);
    }

    [Fact]
    public async Task ResponseFormat_ForcedToolWithFunctions_AnyTool()
    {
        var body = await SendAsync(
            [new(ChatRole.User, "Q")],
            new() { ResponseFormat = ChatResponseFormat.Json, Tools = [AIFunctionFactory.CreateDeclaration("f", "F", s_schema)] });

        AssertJson("""{"type":"any"}""", body["tool_choice"]);
        AssertJson("""{"type":"object"}""", body["tools"]![1]!["input_schema"]);
    }

    [Fact]
    public async Task ConversationId_ThrowsNotSupported()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => SendAsync([new(ChatRole.User, "Q")], new() { ConversationId = "conv" }));
    }

    /// <summary>A function declaration with additional properties (AIFunctionDeclaration's are read-only).</summary>
    private sealed class CacheableFunction(AIFunctionDeclaration inner) : AIFunctionDeclaration
    {
        public override string Name => inner.Name;

        public override string Description => inner.Description;

        public override JsonElement JsonSchema => inner.JsonSchema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } = new Dictionary<string, object?> { ["cache_control"] = true };
    }
}
