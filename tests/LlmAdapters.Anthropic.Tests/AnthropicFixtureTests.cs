// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>Every recorded exchange under Fixtures/anthropic: the request asserted where one was recorded, the response mapped to the values its .md names.</summary>
public sealed class AnthropicFixtureTests
{
    private const string WeatherQuestion = "What's the weather in SF in Celsius?";

    [Fact]
    public async Task NonStreamingToolUse_Fixture_RequestMatchesAndCallIsMapped()
    {
        using var client = CreateClient(JsonHandler(Request("nonstream-tool-use"), "nonstream-tool-use.json"));

        var response = await client.GetResponseAsync(
            [new(ChatRole.User, WeatherQuestion)],
            new() { ModelId = "claude-haiku-4-5", MaxOutputTokens = 1024, Tools = [ToolFrom("nonstream-tool-use")] }, cancellationToken: Ct);

        Assert.Equal("msg_01M4x4hiFuUdHzu44ih9eCGh", response.ResponseId);
        Assert.Equal("msg_01M4x4hiFuUdHzu44ih9eCGh", response.Messages[0].MessageId);
        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("toolu_013DU6hV4C1M8dJ32ybQFAFi", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"location":"SF","units":"c"}""", Args(call));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(597, response.Usage!.InputTokenCount);
        Assert.Equal(71, response.Usage.OutputTokenCount);
        Assert.Equal(668, response.Usage.TotalTokenCount);
        Assert.Equal(0, response.Usage.CachedInputTokenCount);
        Assert.Equal(0, response.Usage.AdditionalCounts!["cache_creation_input_tokens"]);
        Assert.NotNull(response.CreatedAt);
    }

    [Fact]
    public async Task NonStreamingToolResultFollowUp_Fixture_ToolTurnBecomesUserToolResult()
    {
        // The recorded request echoes the response-only "caller" member of the tool_use block; the adapter sends the documented shape.
        var expected = Without(Request("nonstream-tool-result-followup"), "caller");
        using var client = CreateClient(JsonHandler(expected, "nonstream-tool-result-followup.json"));

        // The history is built from the previous recorded response, as a tool loop would.
        using var first = CreateClient(JsonHandler(null, "nonstream-tool-use.json"));
        var previous = await first.GetResponseAsync([new(ChatRole.User, WeatherQuestion)], new() { Tools = [ToolFrom("nonstream-tool-use")] }, cancellationToken: Ct);
        var call = (FunctionCallContent)previous.Messages[0].Contents[0];

        List<ChatMessage> history =
        [
            new(ChatRole.User, WeatherQuestion),
            .. previous.Messages,
            new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "{\"location\": \"SF\", \"temperature\": \"20\\u00b0C\", \"condition\": \"Sunny\"}")]),
        ];
        var response = await client.GetResponseAsync(history, new() { MaxOutputTokens = 1024, Tools = [ToolFrom("nonstream-tool-result-followup")] }, cancellationToken: Ct);

        Assert.Equal("The weather in SF is currently **20°C** (68°F) and **Sunny**!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(705, response.Usage!.InputTokenCount);
        Assert.Equal(25, response.Usage.OutputTokenCount);
        Assert.Equal(730, response.Usage.TotalTokenCount);
        Assert.Equal("msg_01LzoWDaDa7jiMvVbBiguxJy", response.ResponseId);
    }

    [Fact]
    public async Task NonStreamingStructuredOutput_Fixture_NativeOutputConfigAndJsonText()
    {
        using var client = CreateClient(JsonHandler(Request("nonstream-structured-output"), "nonstream-structured-output.json"));

        var response = await client.GetResponseAsync(
            [new(ChatRole.User, "Extract order: 2 Green Tea at $5.50 and 1 Coffee at $3.00. Total $14.")],
            new() { ModelId = "claude-sonnet-4-5", MaxOutputTokens = 1024, ResponseFormat = ChatResponseFormat.ForJsonSchema(SchemaFrom("nonstream-structured-output")) }, cancellationToken: Ct);

        var text = Assert.IsType<TextContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("""{"items":[{"product_name":"Green Tea","price":5.50,"quantity":2},{"product_name":"Coffee","price":3.00,"quantity":1}],"total":14.0}""", text.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(406, response.Usage!.InputTokenCount);
        Assert.Equal(50, response.Usage.OutputTokenCount);
        Assert.Equal(456, response.Usage.TotalTokenCount);
        Assert.Equal("claude-sonnet-4-5-20250929", response.ModelId);
    }

    [Fact]
    public async Task NonStreamingWebSearch_Fixture_ServerToolsNotSurfacedAsCallsAndCitationsMapped()
    {
        using var client = CreateClient(JsonHandler(Request("nonstream-web-search-citations"), "nonstream-web-search-citations.json"));

        var response = await client.GetResponseAsync([new(ChatRole.User, "What is the weather in SF?")], new() { MaxOutputTokens = 1024, Tools = [new HostedWebSearchTool()] }, cancellationToken: Ct);

        var contents = response.Messages[0].Contents;
        Assert.DoesNotContain(contents, c => c is FunctionCallContent);
        Assert.Equal(5, contents.Count);
        Assert.Equal("server_tool_use", ((JsonElement)contents[0].RawRepresentation!).GetProperty("type").GetString());
        Assert.Equal("web_search_tool_result", ((JsonElement)contents[1].RawRepresentation!).GetProperty("type").GetString());
        Assert.Equal(
            "Today in San Francisco, there are showers with breezy and cool conditions, with a high of 52°F. " +
            "Tonight will be cloudy, becoming windier and chilly, with a shower or two this evening followed by heavy rain late, and watch for flooding on streets and poor drainage areas with a low of 45°F.",
            response.Text);
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(contents[2].Annotations!));
        Assert.Equal(new Uri("https://www.accuweather.com/en/us/san-francisco/94103/weather-forecast/347629"), citation.Url);
        Assert.Equal("San Francisco, CA Weather Forecast | AccuWeather", citation.Title);
        Assert.StartsWith("San Francisco, CA Weather Today", citation.Snippet, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(11306, response.Usage!.InputTokenCount);
        Assert.Equal(163, response.Usage.OutputTokenCount);
        Assert.Equal(1, response.Usage.AdditionalCounts!["server_tool_use.web_search_requests"]);
    }

    [Fact]
    public async Task NonStreamingWebSearch_History_ServerBlocksGoBackUntouched()
    {
        using var first = CreateClient(JsonHandler(null, "nonstream-web-search-citations.json"));
        var previous = await first.GetResponseAsync([new(ChatRole.User, "What is the weather in SF?")], new() { Tools = [new HostedWebSearchTool()] }, cancellationToken: Ct);
        var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler);

        await client.GetResponseAsync([new(ChatRole.User, "What is the weather in SF?"), .. previous.Messages, new(ChatRole.User, "Thanks")], cancellationToken: Ct);

        using var sent = JsonDocument.Parse(handler.LastRequestBody!);
        var assistant = sent.RootElement.GetProperty("messages")[1].GetProperty("content");
        using var recorded = JsonDocument.Parse(Fixture.Text("anthropic/nonstream-web-search-citations.json"));
        Assert.True(JsonElement.DeepEquals(recorded.RootElement.GetProperty("content")[0], assistant[0]));
        Assert.True(JsonElement.DeepEquals(recorded.RootElement.GetProperty("content")[1], assistant[1]));
        Assert.Equal("text", assistant[2].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Error400_Fixture_InvalidRequestWithVerbatimMessage()
    {
        using var client = CreateClient(ErrorHandler("error-400-invalid-request.json"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync([new(ChatRole.User, WeatherQuestion)], cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("invalid_request_error", ex.ErrorType);
        Assert.Equal(
            "messages.0.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01GHndag5wQmbzNihYmV2UBj. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
            ex.ProviderMessage);
        Assert.Equal("req_011CYHyk9NPsBYeGbC9LuDNK", ex.RequestId);
        Assert.False(ex.IsTransient);
        Assert.Equal("anthropic", ex.ProviderName);
    }

    [Fact]
    public async Task Error400_FixtureRequest_ConsecutiveUserTurnsAreMergedWithToolResultFirst()
    {
        // The recorded request sent two user turns in a row; the adapter merges them, tool_result first, as the API requires.
        var recorded = System.Text.Json.Nodes.JsonNode.Parse(Request("error-400-invalid-request"))!;
        var messages = recorded["messages"]!.AsArray();
        var question = (string)messages[0]!["content"]!;
        var toolResult = messages[1]!["content"]![0]!.DeepClone();
        messages.Clear();
        messages.Add(new System.Text.Json.Nodes.JsonObject
        {
            ["role"] = "user",
            ["content"] = new System.Text.Json.Nodes.JsonArray(toolResult, new System.Text.Json.Nodes.JsonObject { ["type"] = "text", ["text"] = question }),
        });
        var handler = new VerbatimHttpHandler(recorded.ToJsonString(), Fixture.Bytes("anthropic/nonstream-tool-result-followup.json"));
        using var client = CreateClient(handler);

        await client.GetResponseAsync(
            [
                new(ChatRole.User, question),
                new(ChatRole.Tool, [new FunctionResultContent("toolu_01GHndag5wQmbzNihYmV2UBj", "The weather in San Francisco, CA is currently sunny with a temperature of 20°C.")]),
            ],
            new() { MaxOutputTokens = 1024, Tools = [ToolFrom("error-400-invalid-request")] }, cancellationToken: Ct);
    }

    [Fact]
    public async Task Error429_Fixture_RateLimitedTransientWithRequestId()
    {
        using var client = CreateClient(ErrorHandler("error-429-rate-limit.json"));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
            await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Extract order IDs")], cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("rate_limit_error", ex.ErrorType);
        Assert.StartsWith("This request would exceed your organization's rate limit of 20,000,000 prompt bytes per hour", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal("req_011CYK5n67SytMUxm8WMZUWY", ex.RequestId);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.RetryAfter);
    }

    [Fact]
    public async Task StreamingDocsBasic_Fixture_TextUsageAndId()
    {
        using var client = CreateClient(SseHandler(null, "stream-docs-basic.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Hello")], new() { ModelId = "claude-opus-4-8", MaxOutputTokens = 256 }, cancellationToken: Ct));
        var response = updates.ToChatResponse();

        Assert.Equal("Hello!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", response.ResponseId);
        Assert.Equal(25, response.Usage!.InputTokenCount);
        Assert.Equal(15, response.Usage.OutputTokenCount);
        Assert.Equal(40, response.Usage.TotalTokenCount);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal(["Hello", "!"], updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));
    }

    [Fact]
    public async Task StreamingTextBasic_Fixture_InputKeptFromMessageStart()
    {
        using var client = CreateClient(SseHandler(null, "stream-text-basic.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Hi")], cancellationToken: Ct));
        var response = updates.ToChatResponse();

        Assert.Equal("Hello there!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", response.ResponseId);
        Assert.Equal("claude-3-opus-latest", response.ModelId);
        Assert.Equal(11, response.Usage!.InputTokenCount);
        Assert.Equal(6, response.Usage.OutputTokenCount);
        Assert.Equal(17, response.Usage.TotalTokenCount);
        Assert.All(updates, u => Assert.Equal("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", u.MessageId));
    }

    [Fact]
    public async Task StreamingDocsThinking_Fixture_AdaptiveRequestAndSignedReasoning()
    {
        using var client = CreateClient(SseHandler(Request("stream-docs-thinking"), "stream-docs-thinking.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            [new(ChatRole.User, "What is the greatest common divisor of 1071 and 462?")],
            new() { ModelId = "claude-opus-4-8", MaxOutputTokens = 20000, Reasoning = new() { Output = ReasoningOutput.Summary } }, cancellationToken: Ct));
        var response = updates.ToChatResponse();

        var contents = response.Messages[0].Contents;
        var reasoning = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal(
            "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\nThe remainder is 0, so GCD(1071, 462) = 21.",
            reasoning.Text);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...", reasoning.ProtectedData);
        Assert.Equal("The greatest common divisor of 1071 and 462 is **21**.", Assert.IsType<TextContent>(contents[1]).Text);
        Assert.Equal(2, contents.Count);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Null(response.Usage);
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is UsageContent);
    }

    [Fact]
    public async Task StreamingDocsThinking_RoundTrip_ThinkingBlockWithSignatureBeforeText()
    {
        using var first = CreateClient(SseHandler(null, "stream-docs-thinking.sse"));
        var previous = (await CollectAsync(first.GetStreamingResponseAsync([new(ChatRole.User, "GCD?")], cancellationToken: Ct))).ToChatResponse();
        var handler = SseHandler(null, "stream-docs-basic.sse");
        using var client = CreateClient(handler);

        await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "GCD?"), .. previous.Messages, new(ChatRole.User, "Thanks")], cancellationToken: Ct));

        using var sent = JsonDocument.Parse(handler.LastRequestBody!);
        var assistant = sent.RootElement.GetProperty("messages")[1];
        VerbatimHttpHandler.AssertJsonEqual(
            """
            {"role":"assistant","content":[
              {"type":"thinking","thinking":"I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\nThe remainder is 0, so GCD(1071, 462) = 21.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."},
              {"type":"text","text":"The greatest common divisor of 1071 and 462 is **21**."}]}
            """,
            assistant.GetRawText());
    }

    [Fact]
    public async Task StreamingRefusal_Fixture_ContentFilterWithStopDetails()
    {
        using var client = CreateClient(SseHandler(null, "stream-refusal.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "Hi")], cancellationToken: Ct));
        var response = updates.ToChatResponse();

        Assert.Equal(string.Empty, response.Text);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(20, response.Usage!.InputTokenCount);
        Assert.Equal(0, response.Usage.OutputTokenCount);
        var details = (JsonElement)updates[^1].AdditionalProperties!["stop_details"]!;
        Assert.Equal("cyber", details.GetProperty("category").GetString());
    }

    [Fact]
    public async Task StreamingStructuredOutput_Fixture_NativeRequestAndTextDeltas()
    {
        using var client = CreateClient(SseHandler(Request("stream-structured-output"), "stream-structured-output.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            [new(ChatRole.User, "Extract order IDs from the following text:\n\nOrder 12345\nOrder 67890")],
            new() { ModelId = "claude-sonnet-4-5", MaxOutputTokens = 1024, ResponseFormat = ChatResponseFormat.ForJsonSchema(SchemaFrom("stream-structured-output")) }, cancellationToken: Ct));
        var response = updates.ToChatResponse();

        Assert.Equal(["[", "12", "345,", "67890]"], updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text));
        Assert.Equal("[12345,67890]", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(135, response.Usage!.InputTokenCount);
        Assert.Equal(10, response.Usage.OutputTokenCount);
        Assert.Equal(145, response.Usage.TotalTokenCount);
        Assert.Equal("msg_013nnniYDrJDocdy5nrMU7cH", response.ResponseId);
    }

    [Fact]
    public async Task StreamingTextAfterToolResult_Fixture_RequestMatchesAndOutputTokensOverwritten()
    {
        // Built from the streamed tool call of stream-tool-use, as a streaming tool loop would.
        using var first = CreateClient(SseHandler(null, "stream-tool-use.sse"));
        var previous = (await CollectAsync(first.GetStreamingResponseAsync([new(ChatRole.User, "What is the weather in SF?")], new() { Tools = [ToolFrom("stream-tool-use")] }, cancellationToken: Ct))).ToChatResponse();
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(previous.Messages[0].Contents));
        var expected = Without(Request("stream-text-after-tool-result"), "caller");
        using var client = CreateClient(SseHandler(expected, "stream-text-after-tool-result.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            [
                new(ChatRole.User, "What is the weather in SF?"),
                .. previous.Messages,
                new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "{\"location\": \"San Francisco, CA\", \"temperature\": \"68\\u00b0F\", \"condition\": \"Sunny\"}")]),
            ],
            new() { MaxOutputTokens = 1024, Tools = [ToolFrom("stream-text-after-tool-result")] }, cancellationToken: Ct));
        var response = updates.ToChatResponse();

        Assert.Equal("The weather in San Francisco, CA is currently:\n- **Temperature:** 68°F\n- **Condition:** Sunny\n\nIt's a nice sunny day!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(770, response.Usage!.InputTokenCount);
        Assert.Equal(38, response.Usage.OutputTokenCount);
        Assert.Equal(808, response.Usage.TotalTokenCount);
        Assert.Equal("msg_016HxyUMAncysqX7dn1kWNRx", response.ResponseId);
    }

    [Fact]
    public async Task StreamingThinkingSignatureRefusal_Fixture_ReasoningSignatureAndReasoningTokens()
    {
        using var client = CreateClient(SseHandler(null, "stream-thinking-signature-refusal.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync([new(ChatRole.User, "claudius, what is a solar eclipse?")], cancellationToken: Ct));
        var response = updates.ToChatResponse();

        var reasoning = Assert.IsType<TextReasoningContent>(response.Messages[0].Contents[0]);
        Assert.Equal(
            "Simple educational question about what a solar eclipse is. This is benign general knowledge — definitions are fine. Also the user called me \"claudius\" — I'm Claude. Minor correction or just roll with it politely.",
            reasoning.Text);
        Assert.Equal("c3ludGhldGljLXNpZ25hdHVyZS1maXh0dXJlLWEtbm90LWEtcmVhbC1zaWduYXR1cmU=", reasoning.ProtectedData);
        Assert.Equal("Hi", response.Text);
        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal(28, response.Usage!.InputTokenCount);
        Assert.Equal(106, response.Usage.OutputTokenCount);
        Assert.Equal(67, response.Usage.ReasoningTokenCount);
    }

    [Fact]
    public async Task StreamingToolUse_Fixture_RequestMatchesAndOneCompleteCall()
    {
        using var client = CreateClient(SseHandler(Request("stream-tool-use"), "stream-tool-use.sse"));

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            [new(ChatRole.User, "What is the weather in SF?")],
            new() { MaxOutputTokens = 1024, Tools = [ToolFrom("stream-tool-use")] }, cancellationToken: Ct));
        var response = updates.ToChatResponse();

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("toolu_018acGYLtfR52q9yDbWaEdQZ", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"location":"San Francisco, CA","units":"f"}""", Args(call));
        Assert.Null(call.Exception);
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("msg_01AusY9WEbCaj3N7Tv5J4YjH", response.ResponseId);
        Assert.Equal("msg_01AusY9WEbCaj3N7Tv5J4YjH", response.Messages[0].MessageId);
        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        Assert.Equal(656, response.Usage!.InputTokenCount);
        Assert.Equal(74, response.Usage.OutputTokenCount);
        Assert.Equal(730, response.Usage.TotalTokenCount);
    }
}
