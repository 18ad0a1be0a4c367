// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Tests;

/// <summary>Every native DashScope fixture (tests/Fixtures/dashscope/native-*; the compat-* ones are the OpenAI path's), replayed as each .md says.</summary>
public sealed class DashScopeFixtureTests
{
    internal const string ApiKey = "sk-dashscope-test-0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static DashScopeChatClient CreateClient(HttpMessageHandler handler, string model = "qwen-plus", Uri? endpoint = null) =>
        new(new DashScopeChatClientOptions { ApiKey = ApiKey, Model = model, Endpoint = endpoint }, new HttpClient(handler));

    private static JsonNode Request(string name) => JsonNode.Parse(Fixture.Text("dashscope/" + name + ".request.json"))!;

    internal static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    [Fact]
    public async Task NonStreamText_SendsMessagesAndResultFormat_MapsTextUsageAndRequestId()
    {
        var recorded = Request("native-nonstream-text");
        using var handler = new VerbatimHttpHandler(recorded["body"]!.ToJsonString(), Fixture.Bytes("dashscope/native-nonstream-text.json"));
        using var client = CreateClient(handler, "qwen-turbo", DashScopeChatClientOptions.MainlandEndpoint);

        var response = await client.GetResponseAsync([new(ChatRole.System, "You are a helpful assistant."), new(ChatRole.User, "你是什么东西？")], cancellationToken: Ct);

        Assert.Equal((string)recorded["url"]!, handler.LastRequest!.RequestUri!.ToString());
        Assert.Equal("Bearer " + ApiKey, handler.LastRequest.Headers.Authorization!.ToString());
        Assert.False(handler.LastRequest.Headers.Contains("X-DashScope-SSE"));
        Assert.Equal("我是来自阿里云的超大规模语言模型，我叫通义千问。", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal((23, 17, 40), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        Assert.Equal("1e1ba78d-f9a9-9ec7-88be-719d9472353d", response.ResponseId);
        Assert.Equal("qwen-turbo", response.ModelId);
    }

    [Fact]
    public async Task StreamThinkingToolCall_SendsSseHeaderAndIncrementalOutput_YieldsTheCallComplete()
    {
        var recorded = Request("native-stream-thinking-tool-call");
        using var handler = new VerbatimHttpHandler(recorded["body"]!.ToJsonString(), Fixture.Bytes("dashscope/native-stream-thinking-tool-call.sse"), "text/event-stream");
        using var client = CreateClient(handler, "qwen-plus", DashScopeChatClientOptions.MainlandEndpoint);
        var tools = recorded["body"]!["parameters"]!["tools"]!.AsArray().Select(t => (AITool)AIFunctionFactory.CreateDeclaration(
            (string)t!["function"]!["name"]!,
            (string)t["function"]!["description"]!,
            JsonDocument.Parse(t["function"]!["parameters"]!.ToJsonString()).RootElement.Clone())).ToList();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("杭州天气", new ChatOptions { Tools = tools, Reasoning = new ReasoningOptions() }, Ct));

        Assert.Equal((string)recorded["url"]!, handler.LastRequest!.RequestUri!.ToString());
        Assert.Equal("enable", handler.LastRequest.Headers.GetValues("X-DashScope-SSE").Single());
        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal("好的，用户让我告诉杭州的天气。我需要先确定是否有误后返回。", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        var call = Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.Equal("call_ecc41296dccc47baa01567", call.CallId);
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal("杭州", ((JsonElement)call.Arguments!["location"]!).GetString());
        Assert.Null(call.Exception);
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var usage = Assert.Single(contents.OfType<UsageContent>());
        Assert.Equal((238, 108, 346), (usage.Details.InputTokenCount, usage.Details.OutputTokenCount, usage.Details.TotalTokenCount));
        Assert.Equal("4edb81cd-4647-9d5d-88f9-a4f30bc6d8dd", response.ResponseId);
        Assert.All(updates.Take(updates.Count - 1), u => Assert.Null(u.FinishReason));
    }

    [Fact]
    public async Task Error401InvalidApiKey_IsAuthentication_WithCodeAndRequestId()
    {
        var recorded = JsonNode.Parse(Fixture.Text("dashscope/native-error-401-invalid-api-key.json"))!;
        using var handler = new StubHttpHandler(request => new HttpResponseMessage((HttpStatusCode)(int)recorded["status"]!)
        {
            Content = new StringContent(recorded["body"]!.ToJsonString(), Encoding.UTF8, "application/json"),
        });
        using var client = CreateClient(handler);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("InvalidApiKey", ex.ErrorCode);
        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        Assert.Equal("fb53c4ec-0000-0000-0000-000000000000", ex.RequestId);
        Assert.False(ex.IsTransient);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
    }
}
