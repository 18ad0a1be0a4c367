// Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmAdapters.DashScope;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed DashScope native answer of 2,000 <c>result</c> events (incremental output) served from memory, read by the floor
/// (baseline: <see cref="HttpClient"/> + <see cref="SseParser"/> + <see cref="Utf8JsonReader"/>, no string per event), the floor
/// plus one update per event (<c>FloorUpdates</c>), bare <see cref="JsonDocument"/> per event, and our <see cref="DashScopeChatClient"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class DashScopeStreamingBenchmarks
{
    private const int Events = 2000;
    private static readonly Uri s_generation = new("https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation");
    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "Hello")];
    private HttpClient _http = null!;
    private DashScopeChatClient _adapter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = new StringBuilder();
        for (var i = 0; i <= Events; i++)
        {
            var last = i == Events;
            body.Append("id:").Append(i + 1).Append("\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"choices\":[{\"finish_reason\":\"")
                .Append(last ? "stop" : "null").Append("\",\"message\":{\"role\":\"assistant\",\"content\":")
                .Append(last ? "\"\"" : JsonSerializer.Serialize(Payloads.Word(i)))
                .Append("}}]},\"usage\":{\"input_tokens\":11,\"output_tokens\":").Append(Math.Min(i + 1, Events))
                .Append(",\"total_tokens\":").Append(11 + Math.Min(i + 1, Events)).Append("},\"request_id\":\"4edb81cd-4647-9d5d-88f9-a4f30bc6d8dd\"}\n\n");
        }

        _http = new HttpClient(new MemoryHttpHandler(Encoding.UTF8.GetBytes(body.ToString()), "text/event-stream")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new DashScopeChatClient(new DashScopeChatClientOptions { Model = "qwen-plus", ApiKey = "sk-bench-0000000000000000" }, _http);

        var expected = new ChatAnswer(Payloads.SyntheticText(Events), null, 11, Events);
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        FloorUpdates().GetAwaiter().GetResult().Verify(expected, nameof(FloorUpdates));
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        DashScopeChatClient().GetAwaiter().GetResult().Verify(expected, nameof(DashScopeChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Floor: HttpClient + SseParser + Utf8JsonReader, text and usage only, no string per event.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Floor() => FloorReader.SseStreamAsync(_http, CreateRequest(), "content"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray());

    /// <summary>The floor plus one update per event: what the contract alone costs.</summary>
    [Benchmark]
    public Task<ChatAnswer> FloorUpdates() => Answers.FromStreamAsync(FloorReader.SseUpdatesAsync(_http, CreateRequest(), "content"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray()));

    /// <summary>Bare HttpClient + SseParser + JsonDocument: text and the last usage, nothing else.</summary>
    [Benchmark]
    public async Task<ChatAnswer> Bare()
    {
        using var request = CreateRequest();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync();
        var text = new StringBuilder();
        long? input = null, output = null;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            using var document = JsonDocument.Parse(item.Data);
            var root = document.RootElement;
            text.Append(root.GetProperty("output").GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            var usage = root.GetProperty("usage");
            input = usage.GetProperty("input_tokens").GetInt64();
            output = usage.GetProperty("output_tokens").GetInt64();
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }

    /// <summary>LlmAdapters.DashScope's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> DashScopeChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    private static HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, s_generation)
        {
            Content = new StringContent(
                "{\"model\":\"qwen-plus\",\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]},\"parameters\":{\"result_format\":\"message\",\"incremental_output\":true}}",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench-0000000000000000");
        request.Headers.TryAddWithoutValidation("X-DashScope-SSE", "enable");
        return request;
    }
}
