// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static LlmAdapters.Gemini.Tests.TestSupport;

namespace LlmAdapters.Gemini.Tests;

/// <summary>Every recorded exchange under tests/Fixtures/gemini, against what its .md says a correct adapter produces.</summary>
public sealed class GeminiFixtureTests
{
    private static AIFunctionDeclaration GetWeather() => AIFunctionFactory.CreateDeclaration(
        "GetWeather",
        "return the real time weather of the location",
        JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""").RootElement);

    [Fact]
    public async Task NonStreamFunctionCall_RequestAndCallWithSynthesizedId()
    {
        var handler = JsonHandler("nonstream-function-call.json");
        using var client = CreateClient(handler);

        var response = await client.GetResponseAsync("What's the weather like in Melbourne?", new() { Tools = [GetWeather()] }, Ct);

        var recorded = RecordedRequest("nonstream-function-call");
        Assert.Equal((string)recorded["url"]!, handler.LastRequest!.RequestUri!.PathAndQuery);
        var body = Body(handler);
        Assert.True(JsonNode.DeepEquals(recorded["body"]!["contents"], body["contents"]));
        var expectedDeclaration = recorded["body"]!["tools"]![0]!["functionDeclarations"]![0]!.AsObject();
        expectedDeclaration.Remove("response");
        Assert.True(JsonNode.DeepEquals(expectedDeclaration, body["tools"]![0]!["functionDeclarations"]![0]), body["tools"]!.ToJsonString());
        Assert.Equal(ApiKey, handler.LastRequest.Headers.GetValues("x-goog-api-key").Single());
        Assert.DoesNotContain("key=", handler.LastRequest.RequestUri.Query, StringComparison.Ordinal);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal("GetWeather", call.Name);
        Assert.Equal("""{"location":"Melbourne"}""", Args(call));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(24, response.Usage!.InputTokenCount);
        Assert.Equal(4, response.Usage.OutputTokenCount);
        Assert.Equal(28, response.Usage.TotalTokenCount);
        Assert.Equal("8D2taPzXNNfVz7IP2Kqw6AI", response.ResponseId);
        Assert.Equal("gemini-2.0-flash", response.ModelId);
    }

    [Fact]
    public async Task NonStreamResponseSchema_JsonTextAndUsage()
    {
        var handler = JsonHandler("nonstream-response-schema.json");
        using var client = CreateClient(handler);
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"title":{"type":"string","title":"Title"},"population":{"type":"integer","title":"Population"},"capital":{"type":"string","title":"Capital"},"continent":{"type":"string","title":"Continent"},"language":{"type":"string","title":"Language"}},"required":["title","population","capital","continent","language"],"additionalProperties":false}""").RootElement;

        var response = await client.GetResponseAsync("Give me information about Australia", new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema) }, Ct);

        var recorded = RecordedRequest("nonstream-response-schema")["body"]!["generationConfig"]!;
        var sent = Body(handler)["generationConfig"]!;
        Assert.Equal("application/json", (string)sent["responseMimeType"]!);
        Assert.True(JsonNode.DeepEquals(recorded["responseSchema"]!["properties"], sent["responseSchema"]!["properties"]), sent.ToJsonString());
        Assert.Equal("OBJECT", (string)sent["responseSchema"]!["type"]!);
        Assert.Null(sent["responseSchema"]!["additionalProperties"]);
        Assert.Equal("{\n  \"title\": \"Australia\",\n  \"population\": 25000000,\n  \"capital\": \"Canberra\",\n  \"continent\": \"Oceania\",\n  \"language\": \"English\"\n}", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(33, response.Usage!.InputTokenCount);
        Assert.Equal(52, response.Usage.OutputTokenCount);
        Assert.Equal(85, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task NonStreamThinkingSignatureGemini3_TextSignatureAndThoughtsAsOutput()
    {
        using var client = CreateClient(JsonHandler("nonstream-thinking-signature-gemini3.json"));

        var response = await client.GetResponseAsync("How many r in strawberry?", cancellationToken: Ct);

        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", response.Text);
        var signature = Assert.Single(response.Messages.Single().Contents.OfType<TextReasoningContent>());
        Assert.StartsWith("EvsFCvgFAb4", signature.ProtectedData, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(9, response.Usage!.InputTokenCount);
        Assert.Equal(29 + 282, response.Usage.OutputTokenCount);
        Assert.Equal(282, response.Usage.ReasoningTokenCount);
        Assert.Equal(320, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task NonStreamToolCallThoughtSignature_SignatureGoesBackOnTheNextRequest()
    {
        using var client = CreateClient(JsonHandler("nonstream-tool-call-thought-signature.json"), o => o.Model = "gemini-3-pro-preview");
        var weather = AIFunctionFactory.CreateDeclaration("weather", "Weather", JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string"}}}""").RootElement);
        List<ChatMessage> history = [new(ChatRole.User, "Weather in San Francisco?")];

        var response = await client.GetResponseAsync(history, new() { Tools = [weather] }, Ct);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal("weather", call.Name);
        Assert.Equal("""{"location":"San Francisco"}""", Args(call));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("Model generated function call(s).", response.AdditionalProperties![GeminiMapperKeys.FinishMessage]);
        Assert.Equal(29, response.Usage!.InputTokenCount);
        Assert.Equal(15 + 893, response.Usage.OutputTokenCount);
        Assert.Equal(893, response.Usage.ReasoningTokenCount);
        Assert.Equal(937, response.Usage.TotalTokenCount);

        // The follow-up: the model turn's functionCall part carries the same signature, the result names the function.
        history.AddRange(response.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny")]));
        var next = JsonHandler("nonstream-thinking-signature-gemini3.json");
        using var followUp = CreateClient(next, o => o.Model = "gemini-3-pro-preview");
        await followUp.GetResponseAsync(history, new() { Tools = [weather] }, Ct);

        var contents = Body(next)["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => (string)c!["role"]!));
        var part = contents[1]!["parts"]![0]!;
        Assert.Equal("weather", (string)part["functionCall"]!["name"]!);
        Assert.Null(part["functionCall"]!["id"]);
        Assert.StartsWith("EskgCsYgAb4", (string)part["thoughtSignature"]!, StringComparison.Ordinal);
        AssertJson("""{"name":"weather","response":{"result":"sunny"}}""", contents[2]!["parts"]![0]!["functionResponse"]);
    }

    [Fact]
    public async Task StreamTextSimple_TextAsItArrivesAndOnlyTheLastUsage()
    {
        var handler = SseHandler("stream-text-simple.sse");
        using var client = CreateClient(handler);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What is the capital of France?", cancellationToken: Ct));

        var recorded = RecordedRequest("stream-text-simple");
        Assert.Equal((string)recorded["url"]!, handler.LastRequest!.RequestUri!.PathAndQuery);
        Assert.True(JsonNode.DeepEquals(recorded["body"], Body(handler)), handler.LastRequestBody);
        Assert.Equal(["The", " capital of France", " is **Paris**.\n"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        var response = updates.ToChatResponse();
        Assert.Equal("The capital of France is **Paris**.\n", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("6T2taP_mOvaAn9kPp4X_0Ao", response.ResponseId);
        Assert.Equal("gemini-2.0-flash", response.ModelId);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(7, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.Equal(16, usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamFunctionCall_CompleteCallAndToolCalls()
    {
        var handler = SseHandler("stream-function-call.sse");
        using var client = CreateClient(handler);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What's the weather like in Melbourne?", new() { Tools = [GetWeather()] }, Ct));

        var recorded = RecordedRequest("stream-function-call");
        Assert.Equal((string)recorded["url"]!, handler.LastRequest!.RequestUri!.PathAndQuery);
        Assert.True(JsonNode.DeepEquals(recorded["body"]!["contents"], Body(handler)["contents"]));
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("GetWeather", call.Name);
        Assert.Equal("""{"location":"Melbourne"}""", Args(call));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(24, response.Usage!.InputTokenCount);
        Assert.Equal(4, response.Usage.OutputTokenCount);
        Assert.Equal(28, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamGoogleSearchGrounding_TextUsageAndGroundingKept()
    {
        var handler = SseHandler("stream-google-search-grounding.sse");
        using var client = CreateClient(handler);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Weather in Melbourne?", new() { Tools = [new HostedWebSearchTool()] }, Ct));

        AssertJson("""[{"googleSearch":{}}]""", Body(handler)["tools"]);
        var response = updates.ToChatResponse();
        Assert.Equal(474, response.Text.Length);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(9, response.Usage!.InputTokenCount);
        Assert.Equal(181, response.Usage.OutputTokenCount);
        Assert.Equal(190, response.Usage.TotalTokenCount);
        var grounding = Assert.IsType<JsonElement>(updates.Last(u => u.FinishReason is not null).AdditionalProperties![GeminiMapperKeys.GroundingMetadata]);
        Assert.True(grounding.TryGetProperty("groundingChunks", out _));
    }

    [Fact]
    public async Task StreamRawAfterFunctionResponse_RequestHistoryAndText()
    {
        var handler = SseHandler("stream-raw-after-function-response.sse");
        using var client = CreateClient(handler, o => o.Model = "gemini-2.5-flash");
        var tool = AIFunctionFactory.CreateDeclaration("getWeather", "指定された都市の現在の天気を取得する", JsonDocument.Parse("""{"type":"object","properties":{"location":{"type":"string","description":"都市名。例: Tokyo, San Francisco"},"unit":{"type":"string","description":"温度単位: celsius or fahrenheit","enum":["celsius","fahrenheit"]}},"required":["location"]}""").RootElement);
        List<ChatMessage> history =
        [
            new(ChatRole.User, "今日の東京の天気を教えて"),
            new(ChatRole.Assistant, [new FunctionCallContent("gemini-call-1", "getWeather", new Dictionary<string, object?> { ["location"] = "Tokyo", ["unit"] = "celsius" })]),
            new(ChatRole.Tool, [new FunctionResultContent("gemini-call-1", JsonDocument.Parse("""{"location":"Tokyo","unit":"celsius","temperature":22,"condition":"Cloudy"}""").RootElement)]),
        ];

        var updates = await CollectAsync(client.GetStreamingResponseAsync(history, new() { Tools = [tool] }, Ct));

        // The recording's history, in the wire's camelCase names and with the result in a user turn (roles are user and model).
        var recorded = RecordedRequest("stream-raw-after-function-response");
        var sent = Body(handler);
        var contents = sent["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => (string)c!["role"]!));
        Assert.True(JsonNode.DeepEquals(recorded["contents"]![1]!["parts"]![0]!["function_call"], contents[1]!["parts"]![0]!["functionCall"]));
        Assert.True(JsonNode.DeepEquals(recorded["contents"]![2]!["parts"]![0]!["function_response"], contents[2]!["parts"]![0]!["functionResponse"]));
        Assert.True(JsonNode.DeepEquals(recorded["tools"]![0]!["function_declarations"]![0]!["parameters"], sent["tools"]![0]!["functionDeclarations"]![0]!["parameters"]), sent["tools"]!.ToJsonString());
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", handler.LastRequest!.RequestUri!.PathAndQuery);

        var response = updates.ToChatResponse();
        Assert.Equal("今日の東京の天気は曇りで、気温は22度です。\n", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(138, response.Usage!.InputTokenCount);
        Assert.Equal(15, response.Usage.OutputTokenCount);
        Assert.Equal(153, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamThinkingSignatureGemini3_SignatureKeptAndReplayedOnTheTextPart()
    {
        using var client = CreateClient(SseHandler("stream-thinking-signature-gemini3.sse"), o => o.Model = "gemini-3-pro-preview");

        var updates = await CollectAsync(client.GetStreamingResponseAsync("How many r in strawberry?", cancellationToken: Ct));

        var response = updates.ToChatResponse();
        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(9, response.Usage!.InputTokenCount);
        Assert.Equal(29 + 256, response.Usage.OutputTokenCount);
        Assert.Equal(256, response.Usage.ReasoningTokenCount);
        Assert.Equal(294, response.Usage.TotalTokenCount);
        var signature = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>(), r => r.ProtectedData is not null);
        Assert.StartsWith("Eo0HCooH", signature.ProtectedData, StringComparison.Ordinal);
        Assert.Empty(signature.Text);

        var next = JsonHandler("nonstream-thinking-signature-gemini3.json");
        using var followUp = CreateClient(next, o => o.Model = "gemini-3-pro-preview");
        await followUp.GetResponseAsync([new(ChatRole.User, "How many r in strawberry?"), .. response.Messages, new(ChatRole.User, "Sure?")], cancellationToken: Ct);

        var modelParts = Body(next)["contents"]![1]!["parts"]!.AsArray();
        var last = modelParts[^1]!;
        Assert.Equal(signature.ProtectedData, (string)last["thoughtSignature"]!);
        Assert.Equal(response.Text, string.Concat(modelParts.Select(p => (string?)p!["text"])));
    }

    [Fact]
    public async Task StreamVertexThoughtPartsPartialArgs_ReasoningAndEveryCallComplete()
    {
        using var client = CreateClient(SseHandler("stream-vertex-thought-parts-partial-args.sse"), o => o.Model = "gemini-3-flash-preview");

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Read the theme and screens", cancellationToken: Ct));

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.StartsWith("**Processing User Requests**", Assert.Single(contents.OfType<TextReasoningContent>()).Text, StringComparison.Ordinal);
        var calls = contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(["read_theme", "read_screen", "read_screen", "read_screen"], calls.Select(c => c.Name));
        Assert.Empty(calls[0].Arguments!);
        Assert.NotNull(calls[0].AdditionalProperties?[GeminiChatClient.ThoughtSignaturePropertyName]);
        Assert.Equal(["""{"id":"A"}""", """{"id":"B"}""", """{"id":"C"}"""], calls.Skip(1).Select(Args));
        Assert.Equal(4, calls.Select(c => c.CallId).Distinct().Count());
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(249, response.Usage!.InputTokenCount);
        Assert.Equal(58 + 183, response.Usage.OutputTokenCount);
        Assert.Equal(183, response.Usage.ReasoningTokenCount);
        Assert.Equal(490, response.Usage.TotalTokenCount);
    }

    [Theory]
    [InlineData("error-400-invalid-argument.json", 400, ChatProviderErrorKind.InvalidRequest, "INVALID_ARGUMENT", "This model only supports text output.")]
    [InlineData("error-400-missing-thought-signature.json", 400, ChatProviderErrorKind.InvalidRequest, "INVALID_ARGUMENT", "Function call is missing a thought_signature in functionCall parts.")]
    [InlineData("error-404-model-not-found.json", 404, ChatProviderErrorKind.ModelNotFound, "NOT_FOUND", "models/wrong-model-name is not found for API version v1beta")]
    public async Task Errors_NotRetryable_MapToTheTaxonomy(string fixture, int status, ChatProviderErrorKind kind, string errorType, string messageStart)
    {
        foreach (var contentType in new[] { "application/json", "text/event-stream" })
        {
            using var client = CreateClient(ErrorHandler(fixture, contentType));

            var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
            var streamed = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

            foreach (var e in new[] { ex, streamed })
            {
                Assert.Equal(kind, e.Kind);
                Assert.Equal(status, (int)e.StatusCode!);
                Assert.Equal(errorType, e.ErrorType);
                Assert.StartsWith(messageStart, e.ProviderMessage, StringComparison.Ordinal);
                Assert.False(e.IsTransient);
                Assert.Equal("gemini", e.ProviderName);
            }
        }
    }

    [Fact]
    public async Task Error429ResourceExhausted_RetryAfterFromRetryInfo()
    {
        using var client = CreateClient(ErrorHandler("error-429-resource-exhausted.json"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", ex.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(34.4), ex.RetryAfter);
        Assert.True(ex.IsTransient);
    }
}
