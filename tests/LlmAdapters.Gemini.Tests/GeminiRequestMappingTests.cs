// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Gemini.Tests.TestSupport;

namespace LlmAdapters.Gemini.Tests;

/// <summary>ChatOptions and contents to the generateContent body.</summary>
public sealed class GeminiRequestMappingTests
{
    private static async Task<(JsonNode Body, HttpRequestMessage Request)> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, Action<GeminiChatClientOptions>? configure = null)
    {
        var handler = JsonHandler("nonstream-response-schema.json");
        using var client = CreateClient(handler, configure);
        await client.GetResponseAsync(messages, options, Ct);
        return (Body(handler), handler.LastRequest!);
    }

    private static AIFunctionDeclaration Tool(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, "A tool.", JsonDocument.Parse(schema).RootElement);

    [Fact]
    public async Task SystemMessagesAndInstructions_GoToSystemInstruction_RolesAreUserAndModel()
    {
        var (body, _) = await SendAsync(
            [new(ChatRole.System, "You are terse."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello"), new(ChatRole.User, "Bye")],
            new() { Instructions = "Answer in French." });

        AssertJson("""{"parts":[{"text":"Answer in French."},{"text":"You are terse."}]}""", body["systemInstruction"]);
        AssertJson("""[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello"}]},{"role":"user","parts":[{"text":"Bye"}]}]""", body["contents"]);
        Assert.Null(body["generationConfig"]);
    }

    [Fact]
    public async Task DataAndUriContent_BecomeInlineDataAndFileData()
    {
        var (body, _) = await SendAsync([new(ChatRole.User, [
            new TextContent("Describe"),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
            new UriContent(new Uri("https://generativelanguage.googleapis.com/v1beta/files/abc"), "application/pdf"),
        ])]);

        AssertJson("""[{"text":"Describe"},{"inlineData":{"mimeType":"image/png","data":"AQID"}},{"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc"}}]""", body["contents"]![0]!["parts"]);
    }

    [Fact]
    public async Task GenerationConfig_CarriesEverySamplingOption()
    {
        var (body, _) = await SendAsync([new(ChatRole.User, "Hi")], new()
        {
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 256,
            StopSequences = ["END"],
            Seed = 7,
            PresencePenalty = 0.25f,
            FrequencyPenalty = 0.5f,
        });

        AssertJson("""{"temperature":0.5,"topP":0.9,"topK":40,"maxOutputTokens":256,"stopSequences":["END"],"seed":7,"presencePenalty":0.25,"frequencyPenalty":0.5}""", body["generationConfig"]);
    }

    [Fact]
    public async Task ResponseFormatJsonWithoutSchema_IsTheMimeTypeAlone()
    {
        var (body, _) = await SendAsync([new(ChatRole.User, "Hi")], new() { ResponseFormat = ChatResponseFormat.Json });

        AssertJson("""{"responseMimeType":"application/json"}""", body["generationConfig"]);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", ReasoningEffort.Low, ReasoningOutput.Full, """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData("gemini-2.5-flash", ReasoningEffort.None, ReasoningOutput.None, """{"thinkingBudget":0,"includeThoughts":false}""")]
    [InlineData("gemini-2.5-pro", ReasoningEffort.High, ReasoningOutput.Summary, """{"thinkingBudget":16384,"includeThoughts":true}""")]
    [InlineData("gemini-3-pro-preview", ReasoningEffort.Low, ReasoningOutput.Full, """{"thinkingLevel":"low","includeThoughts":true}""")]
    [InlineData("gemini-3-pro-preview", ReasoningEffort.High, ReasoningOutput.None, """{"thinkingLevel":"high","includeThoughts":false}""")]
    public async Task Reasoning_BecomesThinkingConfig_BudgetOrLevelByModel(string model, ReasoningEffort effort, ReasoningOutput output, string expected)
    {
        var (body, request) = await SendAsync([new(ChatRole.User, "Hi")], new() { ModelId = model, Reasoning = new() { Effort = effort, Output = output } });

        AssertJson(expected, body["generationConfig"]!["thinkingConfig"]);
        Assert.EndsWith($"/models/{model}:generateContent", request.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolModes_BecomeFunctionCallingConfig()
    {
        var tool = Tool("get_weather", """{"type":"object","properties":{"city":{"type":"string"}}}""");
        async Task<JsonNode?> ConfigAsync(ChatToolMode mode) => (await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool], ToolMode = mode })).Body["toolConfig"];

        AssertJson("""{"functionCallingConfig":{"mode":"AUTO"}}""", await ConfigAsync(ChatToolMode.Auto));
        AssertJson("""{"functionCallingConfig":{"mode":"ANY"}}""", await ConfigAsync(ChatToolMode.RequireAny));
        AssertJson("""{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}""", await ConfigAsync(ChatToolMode.RequireSpecific("get_weather")));
        AssertJson("""{"functionCallingConfig":{"mode":"NONE"}}""", await ConfigAsync(ChatToolMode.None));
    }

    [Fact]
    public async Task ToolSchema_NestedObjectsArraysEnumsNullableAndOptional_AreConverted()
    {
        var tool = Tool("plan", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "city": { "type": "string", "description": "The city." },
                "days": { "type": "integer", "default": 3, "minimum": 1 },
                "units": { "type": "string", "enum": ["metric", "imperial"] },
                "note": { "type": ["string", "null"] },
                "origin": { "anyOf": [ { "$ref": "#/$defs/place" }, { "type": "null" } ] },
                "stops": { "type": "array", "items": { "$ref": "#/$defs/place" }, "maxItems": 5 },
                "mode": { "const": "fast" },
                "level": { "enum": [1, 2, null] }
              },
              "required": ["city", "stops"],
              "$defs": {
                "place": { "type": "object", "properties": { "name": { "type": "string" }, "lat": { "type": "number", "format": "double" } }, "required": ["name"], "additionalProperties": false }
              }
            }
            """);

        var (body, _) = await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [tool] });

        AssertJson("""
            {
              "type": "OBJECT",
              "properties": {
                "city": { "type": "STRING", "description": "The city." },
                "days": { "type": "INTEGER", "minimum": 1 },
                "units": { "type": "STRING", "enum": ["metric", "imperial"] },
                "note": { "type": "STRING", "nullable": true },
                "origin": { "type": "OBJECT", "properties": { "name": { "type": "STRING" }, "lat": { "type": "NUMBER", "format": "double" } }, "required": ["name"], "nullable": true },
                "stops": { "type": "ARRAY", "items": { "type": "OBJECT", "properties": { "name": { "type": "STRING" }, "lat": { "type": "NUMBER", "format": "double" } }, "required": ["name"] }, "maxItems": 5 },
                "mode": { "type": "STRING", "enum": ["fast"] },
                "level": { "type": "STRING", "enum": ["1", "2"], "nullable": true }
              },
              "required": ["city", "stops"]
            }
            """, body["tools"]![0]!["functionDeclarations"]![0]!["parameters"]);
    }

    [Fact]
    public async Task ToolWithoutParameters_DeclaresNone()
    {
        var (body, _) = await SendAsync([new(ChatRole.User, "Q")], new() { Tools = [AIFunctionFactory.Create(() => "now", "clock")] });

        AssertJson("""[{"functionDeclarations":[{"name":"clock"}]}]""", body["tools"]);
    }

    [Fact]
    public async Task FunctionCallsAndResults_UseTheApisIdsWhenPresentAndWrapScalarResults()
    {
        var (body, _) = await SendAsync([
            new(ChatRole.User, "Q"),
            new(ChatRole.Assistant, [new FunctionCallContent("api-id-1", "lookup", new Dictionary<string, object?> { ["q"] = "x" }), new FunctionCallContent("gemini-call-2", "count")]),
            new(ChatRole.Tool, [new FunctionResultContent("api-id-1", 42), new FunctionResultContent("gemini-call-2", null) { Exception = new InvalidOperationException("boom") }]),
        ]);

        AssertJson("""[{"functionCall":{"id":"api-id-1","name":"lookup","args":{"q":"x"}}},{"functionCall":{"name":"count","args":{}}}]""", body["contents"]![1]!["parts"]);
        AssertJson("""[{"functionResponse":{"id":"api-id-1","name":"lookup","response":{"result":42}}},{"functionResponse":{"name":"count","response":{"error":"boom"}}}]""", body["contents"]![2]!["parts"]);
    }

    [Fact]
    public async Task SafetySettings_ComeThroughAdditionalProperties()
    {
        var safety = JsonDocument.Parse("""[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}]""").RootElement;

        var (body, _) = await SendAsync([new(ChatRole.User, "Hi")], new() { AdditionalProperties = new() { [GeminiChatClient.SafetySettingsPropertyName] = safety } });

        AssertJson(safety.GetRawText(), body["safetySettings"]);
    }

    [Fact]
    public async Task RawRepresentationFactory_WinsExceptForTheConversation()
    {
        var (body, _) = await SendAsync([new(ChatRole.User, "Hi")], new()
        {
            Temperature = 0.1f,
            RawRepresentationFactory = _ => JsonNode.Parse("""{"generationConfig":{"candidateCount":1},"cachedContent":"cachedContents/abc","contents":[]}"""),
        });

        AssertJson("""{"candidateCount":1}""", body["generationConfig"]);
        Assert.Equal("cachedContents/abc", (string)body["cachedContent"]!);
        Assert.Equal("Hi", (string)body["contents"]![0]!["parts"]![0]!["text"]!);
    }

    [Fact]
    public async Task EndpointAndApiVersion_AreConfigurable_KeyOnlyInItsHeader()
    {
        var (_, request) = await SendAsync([new(ChatRole.User, "Hi")], configure: o =>
        {
            o.Endpoint = new Uri("https://proxy.test/gemini/v1alpha/");
            o.ApiVersion = "v1alpha";
            o.Model = "models/gemini-2.5-flash";
        });

        Assert.Equal("https://proxy.test/gemini/v1alpha/models/gemini-2.5-flash:generateContent", request.RequestUri!.AbsoluteUri);
        Assert.Equal(ApiKey, request.Headers.GetValues("x-goog-api-key").Single());
        Assert.DoesNotContain(ApiKey, request.RequestUri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoModel_ThrowsBeforeAnyRequest()
    {
        var handler = new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = CreateClient(handler, o => o.Model = null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public void Metadata_NamesGcpGeminiAndTheModel()
    {
        using var client = CreateClient(new StubHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)));

        var metadata = client.GetService<ChatClientMetadata>()!;

        Assert.Equal("gcp.gemini", metadata.ProviderName);
        Assert.Equal("gemini-2.0-flash", metadata.DefaultModelId);
    }
}
