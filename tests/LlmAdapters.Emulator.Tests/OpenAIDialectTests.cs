// Licensed under the MIT License.

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmAdapters.Emulator.Tests;

/// <summary>The emulator's OpenAI dialect and its faults, over real HTTP with no adapter in between.</summary>
public sealed class OpenAIDialectTests : IAsyncLifetime
{
    private static readonly string s_weatherTool =
        """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}}}""";

    private EmulatorServer _server = null!;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string json) =>
        _http.PostAsync(new Uri(_server.OpenAIEndpoint + "/chat/completions"), new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private async Task<JsonNode> CompleteAsync(string prompt, string extra = "")
    {
        using var response = await PostAsync($$"""{"model":"m","messages":[{"role":"user","content":{{JsonValue.Create(prompt).ToJsonString()}}}]{{extra}}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    [Fact]
    public async Task Completion_SamePrompt_SameReply_AndHonestUsage()
    {
        var first = await CompleteAsync("Tell me about rivers");
        var second = await CompleteAsync("Tell me about rivers");
        var other = await CompleteAsync("Tell me about mountains");

        var text = first["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal(text, second["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.NotEqual(text, other["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.StartsWith("You said \"Tell me about rivers\".", text, StringComparison.Ordinal);
        Assert.Equal("stop", first["choices"]![0]!["finish_reason"]!.GetValue<string>());

        // A word or a punctuation mark is a token: "Tell me about rivers" is 4, plus 3 for the message's framing.
        Assert.Equal(7, first["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(EmulatorModel.CountTokens(text), first["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Completion_PromptNamesOfferedTool_CallsItWithTypedArguments()
    {
        var response = await CompleteAsync("please call get_weather city=Paris days=3", $$""","tools":[{{s_weatherTool}}]""");
        var choice = response["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("get_weather", call["function"]!["name"]!.GetValue<string>());
        var arguments = JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!;
        Assert.Equal("Paris", arguments["city"]!.GetValue<string>());
        Assert.Equal(3, arguments["days"]!.GetValue<int>());
    }

    [Fact]
    public async Task Completion_ToolResult_IsQuotedBack()
    {
        using var response = await PostAsync("""
            {"model":"m","messages":[
              {"role":"user","content":"call get_weather city=Paris"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"sunny, 21 C"}]}
            """);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("The tool returned: sunny, 21 C.", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Completion_MaxTokens_TruncatesWithLength()
    {
        var response = await CompleteAsync("Tell me a long story", ""","max_completion_tokens":5""");
        Assert.Equal("length", response["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(response["usage"]!["completion_tokens"]!.GetValue<int>() <= 5);
    }

    [Fact]
    public async Task Stream_ChunksConcatenateToTheReply_WithReasoningAndUsageChunk()
    {
        var plain = await CompleteAsync("Hello there", ""","reasoning_effort":"low" """);
        using var response = await PostAsync("""{"model":"m","stream":true,"stream_options":{"include_usage":true},"reasoning_effort":"low","messages":[{"role":"user","content":"Hello there"}]}""");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        JsonNode? usage = null;
        foreach (var e in events[..^1])
        {
            var chunk = JsonNode.Parse(e["data: ".Length..])!;
            usage ??= chunk["usage"];
            if (chunk["choices"]!.AsArray().Count > 0)
            {
                text.Append(chunk["choices"]![0]!["delta"]!["content"]?.GetValue<string>());
                reasoning.Append(chunk["choices"]![0]!["delta"]!["reasoning_content"]?.GetValue<string>());
            }
        }

        Assert.Equal(plain["choices"]![0]!["message"]!["content"]!.GetValue<string>(), text.ToString());
        Assert.Equal(plain["choices"]![0]!["message"]!["reasoning_content"]!.GetValue<string>(), reasoning.ToString());
        Assert.Equal(plain["usage"]!.ToJsonString(), usage!.ToJsonString());
    }

    [Fact]
    public async Task Fault_StatusWithRetryAfter_AnswersOnceThenRecovers()
    {
        _server.Faults.Enqueue(EmulatorFault.Status(429, TimeSpan.FromSeconds(2)));
        using (var failed = await PostAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""))
        {
            Assert.Equal((HttpStatusCode)429, failed.StatusCode);
            Assert.Equal("2", failed.Headers.GetValues("retry-after").Single());
            var error = JsonNode.Parse(await failed.Content.ReadAsStringAsync(Ct))!["error"]!;
            Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
        }

        using var recovered = await PostAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Fault_ForOtherDialect_DoesNotApply()
    {
        _server.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", StatusCode = 529 });
        using var response = await PostAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Fault_CutAfterChunks_AbortsTheStream()
    {
        _server.Faults.Enqueue(new EmulatorFault { CutAfterChunks = 2 });

        // The connection is aborted after two chunks: the client sees an error, never a complete body ending in [DONE].
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await _http.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, new Uri(_server.OpenAIEndpoint + "/chat/completions"))
                {
                    Content = new StringContent("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
                },
                HttpCompletionOption.ResponseHeadersRead,
                Ct);
            await response.Content.ReadAsStringAsync(Ct);
        });
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Fault_MalformedChunk_ReplacesThatChunk()
    {
        _server.Faults.Enqueue(new EmulatorFault { MalformedChunkAt = 1 });
        using var response = await PostAsync("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: {\"malformed\": tru", events[1]);
    }

    [Fact]
    public async Task Fault_FirstByteDelay_DelaysTheResponse()
    {
        _server.Faults.Enqueue(new EmulatorFault { FirstByteDelay = TimeSpan.FromMilliseconds(300) });
        var started = TimeProvider.System.GetTimestamp();
        using var response = await PostAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(250));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Script_ReplyOverrides_TheModel_AndControlEndpointsWork()
    {
        using (var posted = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "_emulator/replies"), new { text = "scripted!", outputTokens = 42 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        }

        var response = await CompleteAsync("anything");
        Assert.Equal("scripted!", response["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(42, response["usage"]!["completion_tokens"]!.GetValue<int>());

        using (var fault = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "_emulator/faults"), new { statusCode = 503 }, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        }

        using var failed = await PostAsync("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var log = JsonNode.Parse(await _http.GetStringAsync(new Uri(_server.BaseAddress, "_emulator/requests"), Ct))!.AsArray();
        Assert.Equal(2, log.Count);
        Assert.Equal("openai", log[0]!["dialect"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedRequestBody_Is400InOpenAIShape()
    {
        using var response = await PostAsync("{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }
}
