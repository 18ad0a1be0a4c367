// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests;

/// <summary>Replays the recorded OpenAI and OpenAI-compatible exchanges (Fixtures/openai, Fixtures/dashscope/compat-*).</summary>
public sealed class FixtureReplayTests
{
    private static readonly AIFunctionDeclaration s_getPersonAge = AIFunctionFactory.CreateDeclaration(
        "GetPersonAge",
        "Gets the age of the specified person.",
        JsonDocument.Parse("""
            {"type":"object","required":["personName"],"properties":{"personName":{"description":"The person whose age is being requested","type":"string"}},"additionalProperties":false}
            """).RootElement);

    private static readonly AIFunctionDeclaration s_weather = AIFunctionFactory.CreateDeclaration(
        "weather",
        "Gets the weather in a location.",
        JsonDocument.Parse("""{"type":"object","required":["location"],"properties":{"location":{"type":"string"}}}""").RootElement);

    [Fact]
    public async Task GetResponseAsync_NonStreamText_MapsTextIdsModelFinishAndUsage()
    {
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/nonstream-text.request.json"), Fixture.Bytes("openai/nonstream-text.json"));
        using var client = TestClients.Create(handler);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "hello")], new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 10 }, TestContext.Current.CancellationToken);

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal("chatcmpl-ADx3PvAnCwJg0woha4pYsBTi3ZpOI", response.ResponseId);
        var message = Assert.Single(response.Messages);
        Assert.Equal("chatcmpl-ADx3PvAnCwJg0woha4pYsBTi3ZpOI", message.MessageId);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1727888631), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        AssertUsage(response.Usage, input: 8, output: 9, total: 17, cached: 13, reasoning: 90);
        Assert.DoesNotContain(message.Contents, c => c is TextReasoningContent);
    }

    [Fact]
    public async Task GetResponseAsync_NonStreamReasoningContent_MapsReasoningBeforeText()
    {
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/nonstream-reasoning-content.request.json"), Fixture.Bytes("openai/nonstream-reasoning-content.json"));
        using var client = TestClients.Create(handler, model: "gpt-oss-120b", providerName: "vllm", apiKey: null);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], cancellationToken: TestContext.Current.CancellationToken);

        var contents = Assert.Single(response.Messages).Contents;
        Assert.Equal(2, contents.Count);
        var reasoning = Assert.IsType<TextReasoningContent>(contents[0]);
        Assert.Equal("We just compare decimals: 9.11 vs 9.8. 9.8 > 9.11. Answer briefly.", reasoning.Text);
        Assert.Equal("9.8 is larger.", Assert.IsType<TextContent>(contents[1]).Text);
        Assert.Equal("9.8 is larger.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("c48a440c7dd64389b7fbe908e006ba3d", response.ResponseId);
        Assert.Equal("gpt-oss-120b", response.ModelId);
        AssertUsage(response.Usage, input: 84, output: 44, total: 128, cached: null, reasoning: null);
    }

    [Fact]
    public async Task GetResponseAsync_NonStreamVllmReasoningField_MapsReasoning()
    {
        // vLLM >= 0.11 names the field "reasoning": the same answer as nonstream-reasoning-content.json with the newer name.
        var body = Fixture.Text("openai/nonstream-reasoning-content.json").Replace("\"reasoning_content\"", "\"reasoning\"", StringComparison.Ordinal);
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/nonstream-reasoning-content.request.json"), VerbatimHttpHandler.Utf8(body));
        using var client = TestClients.Create(handler, model: "gpt-oss-120b", providerName: "vllm", apiKey: null);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], cancellationToken: TestContext.Current.CancellationToken);

        var contents = Assert.Single(response.Messages).Contents;
        Assert.Equal(2, contents.Count);
        Assert.Equal("We just compare decimals: 9.11 vs 9.8. 9.8 > 9.11. Answer briefly.", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal("9.8 is larger.", Assert.IsType<TextContent>(contents[1]).Text);
    }

    [Fact]
    public async Task GetResponseAsync_BothReasoningFields_MapsReasoningOnce()
    {
        var body = Fixture.Text("openai/nonstream-reasoning-content.json").Replace(
            "\"reasoning_content\": \"We just", "\"reasoning\": \"We just compare decimals: 9.11 vs 9.8. 9.8 > 9.11. Answer briefly.\", \"reasoning_content\": \"We just", StringComparison.Ordinal);
        Assert.Contains("\"reasoning\":", body, StringComparison.Ordinal);
        var handler = new VerbatimHttpHandler(null, VerbatimHttpHandler.Utf8(body));
        using var client = TestClients.Create(handler, model: "gpt-oss-120b", providerName: "vllm", apiKey: null);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
    }

    [Fact]
    public async Task GetResponseAsync_NonStreamToolCall_MapsFunctionCallWithParsedArguments()
    {
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/nonstream-tool-call.request.json"), Fixture.Bytes("openai/nonstream-tool-call.json"));
        using var client = TestClients.Create(handler);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "How old is Alice?")], new ChatOptions { Tools = [s_getPersonAge], ToolMode = ChatToolMode.Auto }, TestContext.Current.CancellationToken);

        Assert.Equal(string.Empty, response.Text);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("call_8qbINM045wlmKZt9bVJgwAym", call.CallId);
        Assert.Equal("GetPersonAge", call.Name);
        Assert.NotNull(call.Arguments);
        var argument = Assert.Single(call.Arguments);
        Assert.Equal("personName", argument.Key);
        Assert.Equal("Alice", argument.Value?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        AssertUsage(response.Usage, input: 61, output: 16, total: 77, cached: 13, reasoning: 90);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamTextUsage_MapsTextIdsFinishAndOneUsage()
    {
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/stream-text-usage.request.json"), Fixture.Bytes("openai/stream-text-usage.sse"), "text/event-stream");
        using var client = TestClients.Create(handler);

        var updates = await ToListAsync(client.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "hello")], new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 20 }, TestContext.Current.CancellationToken));

        Assert.Equal("Hello! How can I assist you today?", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u =>
        {
            Assert.Equal("chatcmpl-ADxFKtX6xIwdWRN42QvBj2u1RZpCK", u.ResponseId);
            Assert.Equal("chatcmpl-ADxFKtX6xIwdWRN42QvBj2u1RZpCK", u.MessageId);
            Assert.Equal("gpt-4o-mini-2024-07-18", u.ModelId);
        });
        var lastContent = updates.Last(u => u.Contents.Any(c => c is not UsageContent) || u.FinishReason is not null && !u.Contents.OfType<UsageContent>().Any());
        Assert.Equal(ChatFinishReason.Stop, lastContent.FinishReason);
        Assert.All(updates.Where(u => u.Text.Length > 0), u => Assert.Null(u.FinishReason));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        AssertUsage(usage.Details, input: 8, output: 9, total: 17, cached: 5, reasoning: 90);

        var response = updates.ToChatResponse();
        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamToolCall_YieldsOneCompleteFunctionCallAtTheEnd()
    {
        var handler = new VerbatimHttpHandler(Fixture.Text("openai/stream-tool-call.request.json"), Fixture.Bytes("openai/stream-tool-call.sse"), "text/event-stream");
        using var client = TestClients.Create(handler);

        var updates = await ToListAsync(client.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, "How old is Alice?")], new ChatOptions { Tools = [s_getPersonAge] }, TestContext.Current.CancellationToken));

        Assert.Equal(string.Empty, string.Concat(updates.Select(u => u.Text)));
        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        var call = Assert.Single(calls);
        Assert.Equal("call_F9ZaqPWo69u0urxAhVt8meDW", call.CallId);
        Assert.Equal("GetPersonAge", call.Name);
        Assert.Equal("Alice", Assert.Single(call.Arguments!, a => a.Key == "personName").Value?.ToString());
        var callIndex = updates.FindIndex(u => u.Contents.OfType<FunctionCallContent>().Any());
        Assert.All(updates.Take(callIndex), u => Assert.Empty(u.Contents.OfType<FunctionCallContent>()));
        Assert.Equal(ChatFinishReason.ToolCalls, updates[callIndex].FinishReason);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        AssertUsage(usage.Details, input: 61, output: 16, total: 77, cached: 0, reasoning: 90);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_VllmReasoningField_MapsReasoningInOrder()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("openai/vllm-stream-reasoning-field.sse"), "text/event-stream");
        using var client = TestClients.Create(handler, model: "Qwen/Qwen3-8B", providerName: "vllm", apiKey: null);

        var updates = await ToListAsync(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "9.11 or 9.8?")], cancellationToken: TestContext.Current.CancellationToken));

        var reasoningDeltas = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text).ToList();
        Assert.Equal(["Compare 9.11 and 9.8", ": 9.80 > 9.11."], reasoningDeltas);
        var firstText = updates.FindIndex(u => u.Text.Length > 0);
        var lastReasoning = updates.FindLastIndex(u => u.Contents.OfType<TextReasoningContent>().Any());
        Assert.True(lastReasoning < firstText);
        Assert.Equal("9.8 is larger.", string.Concat(updates.Select(u => u.Text)));

        var response = updates.ToChatResponse();
        Assert.Equal("Compare 9.11 and 9.8: 9.80 > 9.11.", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("9.8 is larger.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        AssertUsage(response.Usage, input: 20, output: 21, total: 41, cached: null, reasoning: null);
        Assert.Equal("chatcmpl-9f2c", response.ResponseId);
        Assert.Equal("Qwen/Qwen3-8B", response.ModelId);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_BothReasoningFieldsInChunk_MapsOnce()
    {
        const string Sse = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"think","reasoning":"think"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"ok","reasoning":null},"finish_reason":"stop"}]}

            data: [DONE]


            """;
        using var client = TestClients.Create(new StubHttpHandler(_ => TestClients.Sse(Sse)), providerName: "vllm", apiKey: null);

        var updates = await ToListAsync(client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(["think"], updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal("ok", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task GetResponseAsync_DashScopeCompatText_MapsTextFinishIdAndUsage()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("dashscope/compat-nonstream-text.json"));
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");

        var response = await client.GetResponseAsync("Invent a new holiday and describe its traditions.", cancellationToken: TestContext.Current.CancellationToken);

        using var recorded = JsonDocument.Parse(Fixture.Text("dashscope/compat-nonstream-text.json"));
        Assert.Equal(recorded.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), response.Text);
        Assert.StartsWith("## The Festival of Forgotten Things (Obsidiana)", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("chatcmpl-2655c1fe-749c-96df-b204-e413daa7caee", response.ResponseId);
        Assert.Equal("qwen3-max", response.ModelId);
        AssertUsage(response.Usage, input: 18, output: 1064, total: 1082, cached: 0, reasoning: null);
        Assert.Equal("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions", handler.LastRequest!.RequestUri!.ToString());
    }

    [Fact]
    public async Task GetResponseAsync_DashScopeCompatReasoning_MapsReasoningAndText()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("dashscope/compat-nonstream-reasoning.json"));
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");

        var response = await client.GetResponseAsync("How many 'r's are in the word 'strawberry'?", cancellationToken: TestContext.Current.CancellationToken);

        using var recorded = JsonDocument.Parse(Fixture.Text("dashscope/compat-nonstream-reasoning.json"));
        var message = recorded.RootElement.GetProperty("choices")[0].GetProperty("message");
        var contents = Assert.Single(response.Messages).Contents;
        Assert.Equal(message.GetProperty("reasoning_content").GetString(), Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal(message.GetProperty("content").GetString(), Assert.IsType<TextContent>(contents[1]).Text);
        Assert.StartsWith("The word **\"strawberry\"** contains **3**", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        AssertUsage(response.Usage, input: 24, output: 1668, total: 1692, cached: 0, reasoning: 1353);
    }

    [Fact]
    public async Task GetResponseAsync_DashScopeCompatToolCall_MapsFunctionCall()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("dashscope/compat-nonstream-tool-call.json"));
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");

        var response = await client.GetResponseAsync(
            "What is the weather in San Francisco?", new ChatOptions { Tools = [s_weather] }, TestContext.Current.CancellationToken);

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal("call_962bfd2ab8f54b89a1161356", call.CallId);
        Assert.Equal("weather", call.Name);
        Assert.Equal("San Francisco", Assert.Single(call.Arguments!, a => a.Key == "location").Value?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("chatcmpl-bc7fc58d-c03f-9c9f-af73-91bea326c99f", response.ResponseId);
        AssertUsage(response.Usage, input: 295, output: 22, total: 317, cached: 0, reasoning: null);
        using var request = JsonDocument.Parse(handler.LastRequestBody!);
        Assert.Equal("qwen3-max", request.RootElement.GetProperty("model").GetString());
        Assert.Equal("weather", request.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DashScopeCompatText_MapsTextFinishIdAndUsage()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("dashscope/compat-stream-text.sse"), "text/event-stream");
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");

        var updates = await ToListAsync(client.GetStreamingResponseAsync("Invent a new holiday.", cancellationToken: TestContext.Current.CancellationToken));

        var text = string.Concat(updates.Select(u => u.Text));
        Assert.Equal(3771, text.Length);
        Assert.StartsWith("## The Festival of Shared Stories: \"Tale", text, StringComparison.Ordinal);
        Assert.Equal([ChatFinishReason.Stop], updates.Where(u => u.Contents.Any(c => c is not UsageContent)).Select(u => u.FinishReason).OfType<ChatFinishReason>().Distinct());
        Assert.All(updates, u => Assert.Equal("chatcmpl-d2d6aab7-cbca-970f-8aa6-7d58c9724733", u.ResponseId));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        AssertUsage(usage.Details, input: 18, output: 779, total: 797, cached: 0, reasoning: null);
        var response = updates.ToChatResponse();
        Assert.Equal("qwen3-max", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        using var request = JsonDocument.Parse(handler.LastRequestBody!);
        Assert.True(request.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(request.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DashScopeCompatReasoning_MapsReasoningThenText()
    {
        var handler = new VerbatimHttpHandler(null, Fixture.Bytes("dashscope/compat-stream-reasoning.sse"), "text/event-stream");
        using var client = TestClients.Create(handler, model: "qwen3-max", providerName: "dashscope");

        var updates = await ToListAsync(client.GetStreamingResponseAsync("How many 'r's are in the word 'strawberry'?", cancellationToken: TestContext.Current.CancellationToken));

        var reasoning = string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.Equal(3301, reasoning.Length);
        Assert.StartsWith("We are asked: \"How many 'r's are in the word 'strawberry'?\" ", reasoning, StringComparison.Ordinal);
        var text = string.Concat(updates.Select(u => u.Text));
        Assert.Equal(816, text.Length);
        Assert.StartsWith("The word **\"strawberry\"** contains **3**", text, StringComparison.Ordinal);
        Assert.True(updates.FindLastIndex(u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0)) < updates.FindIndex(u => u.Text.Length > 0));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        AssertUsage(usage.Details, input: 24, output: 1355, total: 1379, cached: 0, reasoning: 1084);
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    internal static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    private static void AssertUsage(UsageDetails? usage, long input, long output, long total, long? cached, long? reasoning)
    {
        Assert.NotNull(usage);
        Assert.Equal(input, usage.InputTokenCount);
        Assert.Equal(output, usage.OutputTokenCount);
        Assert.Equal(total, usage.TotalTokenCount);
        Assert.Equal(cached, usage.CachedInputTokenCount);
        Assert.Equal(reasoning, usage.ReasoningTokenCount);
    }
}
