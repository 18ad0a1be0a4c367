// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Ollama.Tests.TestSupport;

namespace LlmAdapters.Ollama.Tests;

/// <summary>Every recorded Ollama exchange (tests/Fixtures/ollama): the request the adapter sends, and what it makes of the answer, as each .md says.</summary>
public sealed class OllamaFixtureTests
{
    [Fact]
    public async Task ImageInput_SendsRawBase64Images_AndKeepsTheLeadingSpace()
    {
        var expected = Request("nonstream-image-input");
        var base64 = (string)JsonNode.Parse(expected)!["messages"]![0]!["images"]![0]!;
        using var handler = JsonHandler(JsonNode.Parse(expected)!.AsObject().Also(o => o["stream"] = false).ToJsonString(), "nonstream-image-input.json");
        using var client = CreateClient(handler, o => o.Model = "llava");

        var message = new ChatMessage(ChatRole.User, [new TextContent("what is in this image?"), new DataContent(Convert.FromBase64String(base64), "image/png")]);
        var response = await client.GetResponseAsync([message], cancellationToken: Ct);

        Assert.StartsWith(" The image features a cute, little pig", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((26, 83, 109), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal("llava", response.ModelId);
    }

    [Fact]
    public async Task UriContent_IsRejected_NotSilentlyDropped()
    {
        using var handler = JsonHandler(null, "nonstream-image-input.json");
        using var client = CreateClient(handler);
        var message = new ChatMessage(ChatRole.User, [new TextContent("what is in this image?"), new UriContent(new Uri("https://example.com/pig.png"), "image/png")]);

        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([message], cancellationToken: Ct));
        Assert.Contains("cannot fetch URLs", ex.Message, StringComparison.Ordinal);
        Assert.Null(handler.LastRequest);
    }

    [Fact]
    public async Task MultiTurnOptions_MapsSamplingOptions()
    {
        using var handler = JsonHandler(Request("nonstream-multiturn-options"), "nonstream-multiturn-options.json");
        using var client = CreateClient(handler, o => o.Model = "llama3.1");
        List<ChatMessage> messages = [new(ChatRole.User, "hello!"), new(ChatRole.Assistant, "hi, how are you?"), new(ChatRole.User, "i'm good. how are you?")];

        var response = await client.GetResponseAsync(messages, new ChatOptions
        {
            FrequencyPenalty = 0.75f,
            PresencePenalty = 0.5f,
            Seed = 42,
            StopSequences = ["great"],
            Temperature = 0.25f,
        }, Ct);

        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((36, 55, 91), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal(DateTimeOffset.Parse("2024-10-01T17:18:46.308987Z", System.Globalization.CultureInfo.InvariantCulture), response.CreatedAt);
        Assert.StartsWith("I'm just a computer program", response.Text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromTicks(7724086300 / 100), response.AdditionalProperties![OllamaChatClient.DurationPropertyNames[1]]);
    }

    [Fact]
    public async Task StructuredOutput_SendsTheSchemaAsFormat()
    {
        var expected = Request("nonstream-structured-output");
        var schema = JsonDocument.Parse(JsonNode.Parse(expected)!["format"]!.ToJsonString()).RootElement.Clone();
        using var handler = JsonHandler(expected, "nonstream-structured-output.json");
        using var client = CreateClient(handler, o => o.Model = "llama3.1");

        var response = await client.GetResponseAsync(
            "Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability.",
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema), Temperature = 0 },
            Ct);

        Assert.Equal("{\"age\": 22, \"available\": false}", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((34, 12, 46), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
    }

    [Fact]
    public async Task JsonFormat_WithoutSchema_SendsJson()
    {
        using var handler = JsonHandler(null, "nonstream-structured-output.json");
        using var client = CreateClient(handler);

        await client.GetResponseAsync("Return JSON.", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, Ct);

        Assert.Equal("json", (string)JsonNode.Parse(handler.LastRequestBody!)!["format"]!);
    }

    [Theory]
    [InlineData("nonstream-tool-call-llama31", "llama3.1", "GetPersonAge", """{"personName":"Alice"}""", 170, 19)]
    [InlineData("nonstream-tool-call", "llama3.2", "get_weather", """{"city":"Tokyo"}""", 169, 18)]
    public async Task ToolCall_WithoutServerId_IsCompleteWithAGeneratedIdAndFinishesWithToolCalls(string fixture, string model, string name, string arguments, int input, int output)
    {
        using var handler = JsonHandler(Request(fixture), fixture + ".json");
        using var client = CreateClient(handler, o => o.Model = model);

        var response = await client.GetResponseAsync(
            (string)JsonNode.Parse(Request(fixture))!["messages"]![0]!["content"]!,
            new ChatOptions { Tools = [ToolFrom(fixture)] },
            Ct);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(name, call.Name);
        Assert.Equal(arguments, Args(call));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Empty(response.Text);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("stop", response.AdditionalProperties!["done_reason"]);
        Assert.Equal((input, output), ((int)response.Usage!.InputTokenCount!, (int)response.Usage.OutputTokenCount!));
    }

    [Fact]
    public async Task ToolCall_ColdLoad_ReportsTheLoadDuration()
    {
        using var handler = JsonHandler(null, "nonstream-tool-call.json");
        using var client = CreateClient(handler);

        var response = await client.GetResponseAsync("what is the weather in tokyo?", new ChatOptions { Tools = [ToolFrom("nonstream-tool-call")] }, Ct);

        Assert.Equal(TimeSpan.FromTicks(2969184542 / 100), response.AdditionalProperties!["load_duration"]);
        Assert.Equal(TimeSpan.FromTicks(3244883583 / 100), response.AdditionalProperties!["total_duration"]);
    }

    [Fact]
    public async Task ToolResultFollowUp_SendsTheCallAndTheResultAsOllamaExpects()
    {
        // The call as the adapter returned it from nonstream-tool-call (no server id): the id it made up is not sent back.
        using var first = JsonHandler(null, "nonstream-tool-call.json");
        using var firstClient = CreateClient(first);
        var call = (await firstClient.GetResponseAsync("what is the weather in Toronto?", new ChatOptions { Tools = [ToolFrom("nonstream-tool-call")] }, Ct))
            .Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        var torontoCall = new FunctionCallContent(call.CallId, call.Name, new Dictionary<string, object?> { ["city"] = "Toronto" });

        using var handler = JsonHandler(Request("nonstream-tool-result-followup"), "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler);
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "what is the weather in Toronto?"),
            new(ChatRole.Assistant, [torontoCall]),
            new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "11 degrees celsius")]),
        ];

        var response = await client.GetResponseAsync(messages, new ChatOptions { Tools = [ToolFrom("nonstream-tool-result-followup")] }, Ct);

        Assert.Equal("The current temperature in Toronto is 11°C.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((94, 11, 105), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
    }

    [Fact]
    public async Task ToolResult_WithServerId_SendsIdAndToolCallId()
    {
        using var handler = JsonHandler(null, "nonstream-tool-result-followup.json");
        using var client = CreateClient(handler);
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_abc", "get_weather", new Dictionary<string, object?> { ["city"] = "Toronto" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_abc", new { degrees = 11 })]),
        ];

        await client.GetResponseAsync(messages, cancellationToken: Ct);

        var sent = JsonNode.Parse(handler.LastRequestBody!)!["messages"]!;
        Assert.Equal("call_abc", (string)sent[1]!["tool_calls"]![0]!["id"]!);
        Assert.Equal("call_abc", (string)sent[2]!["tool_call_id"]!);
        Assert.Equal("get_weather", (string)sent[2]!["tool_name"]!);
        Assert.Equal("""{"degrees":11}""", (string)sent[2]!["content"]!);
    }

    [Fact]
    public async Task StreamTextLength_OneUpdatePerLine_LengthAndUsageAtTheEnd()
    {
        using var handler = NdjsonHandler(Request("stream-text-length"), "stream-text-length.ndjson");
        using var client = CreateClient(handler, o => o.Model = "llama3.1");

        var updates = await CollectAsync(client.GetStreamingResponseAsync("hello", new ChatOptions { MaxOutputTokens = 20, Temperature = 0.5f }, Ct));

        Assert.Equal(21, updates.Count);
        Assert.Equal("Hello! How are you today? Is there something I can help you with or would you like to", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal("llama3.1", u.ModelId));
        Assert.Equal(DateTimeOffset.Parse("2024-10-01T16:15:20.4965315Z", System.Globalization.CultureInfo.InvariantCulture), updates[0].CreatedAt);
        Assert.All(updates.Take(20), u => Assert.Null(u.FinishReason));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.Equal((11, 20, 31), (usage.Details.InputTokenCount, usage.Details.OutputTokenCount, usage.Details.TotalTokenCount));
        Assert.Equal(TimeSpan.FromTicks(11912402900 / 100), updates[^1].AdditionalProperties!["total_duration"]);
        Assert.Equal(TimeSpan.FromTicks(3754262000 / 100), updates[^1].AdditionalProperties!["eval_duration"]);
        Assert.Equal(TimeSpan.FromTicks(1329601000 / 100), updates[^1].AdditionalProperties!["prompt_eval_duration"]);
    }

    [Fact]
    public async Task StreamThinking_ReasoningThenText()
    {
        using var handler = NdjsonHandler(Request("stream-thinking"), "stream-thinking.ndjson");
        using var client = CreateClient(handler, o => o.Model = "qwen3");

        var updates = await CollectAsync(client.GetStreamingResponseAsync(
            "How many letter r are in strawberry?", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } }, Ct));

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal(
            "Okay, the user asks how many r letters are in \"strawberry\". s-t-r-a-w-b-e-r-r-y: r at positions 3, 8 and 9. That's 3.",
            string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("There are **3** letter r's in \"strawberry\".", string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((18, 124, 142), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "qwen3", "false")]
    [InlineData(ReasoningEffort.High, "qwen3", "true")]
    [InlineData(ReasoningEffort.Low, "gpt-oss:20b", "\"low\"")]
    [InlineData(ReasoningEffort.ExtraHigh, "gpt-oss:20b", "\"high\"")]
    public async Task Reasoning_MapsToThink(ReasoningEffort effort, string model, string think)
    {
        using var handler = NdjsonHandler(null, "stream-thinking.ndjson");
        using var client = CreateClient(handler, o => o.Model = model);

        await CollectAsync(client.GetStreamingResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }, Ct));

        Assert.Equal(think, JsonNode.Parse(handler.LastRequestBody!)!["think"]!.ToJsonString());
    }

    [Fact]
    public async Task StreamToolCall_RemembersTheCall_FinishesWithToolCalls()
    {
        using var handler = NdjsonHandler(Request("stream-tool-call"), "stream-tool-call.ndjson");
        using var client = CreateClient(handler);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("what is the weather in tokyo?", new ChatOptions { Tools = [ToolFrom("stream-tool-call")] }, Ct));

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"city":"Tokyo"}""", Args(call));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal((169, 15, 184), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal("llama3.2", response.ModelId);
    }

    [Fact]
    public async Task Error404_ModelNotFound_SaysToPull()
    {
        var recorded = JsonNode.Parse(Fixture.Text("ollama/error-404-model-not-found.json"))!;
        using var handler = Respond((HttpStatusCode)(int)recorded["status"]!, recorded["body"]!.ToJsonString());
        using var client = CreateClient(handler, o => o.Model = "llama3.3:70b");

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(ChatProviderErrorKind.ModelNotFound, ex.Kind);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("model 'llama3.3:70b' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ollama pull llama3.3:70b", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>A tiny helper to adjust a JSON object inline.</summary>
internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
