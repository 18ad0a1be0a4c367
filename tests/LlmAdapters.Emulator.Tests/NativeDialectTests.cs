// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator.Tests;

/// <summary>The emulator's Ollama and DashScope native dialects, over real HTTP with no adapter in between.</summary>
public sealed class NativeDialectTests : IAsyncLifetime
{
    private const string WeatherTool = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    private EmulatorServer _server = null!;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json, bool sse = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.BaseAddress, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-test");
        if (sse)
        {
            request.Headers.TryAddWithoutValidation("X-DashScope-SSE", "enable");
        }

        using var response = await _http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Ollama_StreamsByDefault_OneJsonLinePerChunk_EndingWithDone()
    {
        var (status, body) = await PostAsync("api/chat", """{"model":"llama3.2","messages":[{"role":"user","content":"Hello there"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.True(lines.Count > 2);
        Assert.All(lines.SkipLast(1), l => Assert.False((bool)l["done"]!));
        Assert.True((bool)lines[^1]["done"]!);
        Assert.Equal("stop", (string)lines[^1]["done_reason"]!);
        Assert.True((int)lines[^1]["eval_count"]! > 0);
        Assert.StartsWith("You said \"Hello there\"", string.Concat(lines.Select(l => (string?)l["message"]?["content"])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ollama_ToolCall_HasAnIdAndObjectArguments_AndDoneSaysStop()
    {
        var (_, body) = await PostAsync("api/chat", $$"""{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"call get_weather city=Paris"}],"tools":[{{WeatherTool}}]}""");

        var answer = JsonNode.Parse(body)!;
        var call = answer["message"]!["tool_calls"]![0]!;
        Assert.StartsWith("call_", (string)call["id"]!, StringComparison.Ordinal);
        Assert.Equal("Paris", (string)call["function"]!["arguments"]!["city"]!);
        Assert.Equal("stop", (string)answer["done_reason"]!);
    }

    [Fact]
    public async Task Ollama_Think_SendsThinking_AndStatusFaultIsTheErrorEnvelope()
    {
        var (_, body) = await PostAsync("api/chat", """{"model":"qwen3","stream":false,"think":true,"messages":[{"role":"user","content":"Why?"}]}""");
        Assert.Contains("Why?", (string)JsonNode.Parse(body)!["message"]!["thinking"]!, StringComparison.Ordinal);

        _server.Faults.Enqueue(new EmulatorFault { Dialect = "ollama", StatusCode = 404 });
        var (status, error) = await PostAsync("api/chat", """{"model":"qwen3","messages":[{"role":"user","content":"Why?"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model 'qwen3' not found", (string)JsonNode.Parse(error)!["error"]!);
    }

    [Fact]
    public async Task DashScope_Json_HasChoicesUsageAndRequestId()
    {
        var (status, body) = await PostAsync(
            "api/v1/services/aigc/text-generation/generation",
            """{"model":"qwen-plus","input":{"messages":[{"role":"user","content":"Hello there"}]},"parameters":{"result_format":"message"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal("stop", (string)answer["output"]!["choices"]![0]!["finish_reason"]!);
        Assert.True((int)answer["usage"]!["output_tokens"]! > 0);
        Assert.StartsWith("emu-", (string)answer["request_id"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashScope_Sse_FinishReasonIsTheStringNullUntilTheEnd_ToolCallsInFragments()
    {
        var (_, body) = await PostAsync(
            "api/v1/services/aigc/text-generation/generation",
            $$$"""{"model":"qwen-plus","input":{"messages":[{"role":"user","content":"call get_weather city=Hangzhou"}]},"parameters":{"result_format":"message","incremental_output":true,"tools":[{{{WeatherTool}}}]}}""",
            sse: true);

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonNode.Parse(e.Split('\n').Single(l => l.StartsWith("data:", StringComparison.Ordinal))["data:".Length..])!)
            .ToList();
        Assert.All(events.SkipLast(1), e => Assert.Equal("null", (string)e["output"]!["choices"]![0]!["finish_reason"]!));
        Assert.Equal("tool_calls", (string)events[^1]["output"]!["choices"]![0]!["finish_reason"]!);
        var fragments = events.Select(e => e["output"]!["choices"]![0]!["message"]!["tool_calls"]?[0]).Where(f => f is not null).ToList();
        Assert.Equal(2, fragments.Count);
        Assert.Equal(string.Empty, (string)fragments[1]!["id"]!);
        Assert.Equal("""{"city":"Hangzhou"}""", (string)fragments[0]!["function"]!["arguments"]! + (string)fragments[1]!["function"]!["arguments"]!);
    }

    [Fact]
    public async Task DashScope_ErrorFaultMidStream_IsAnErrorEvent()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "dashscope", ErrorType = "DataInspectionFailed", CutAfterChunks = 1 });

        var (status, body) = await PostAsync(
            "api/v1/services/aigc/text-generation/generation",
            """{"model":"qwen-plus","input":{"messages":[{"role":"user","content":"Hello there"}]},"parameters":{"result_format":"message","incremental_output":true}}""",
            sse: true);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("event: error\ndata: {\"code\":\"DataInspectionFailed\"", body, StringComparison.Ordinal);
    }
}
