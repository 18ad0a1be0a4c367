// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Ollama;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed Ollama answer of 2,000 NDJSON lines served from memory, read by the floor (baseline: <see cref="HttpClient"/> +
/// a pooled line buffer + <see cref="Utf8JsonReader"/>, no string per line), the floor plus one update per line
/// (<c>FloorUpdates</c>), bare <see cref="StreamReader"/> lines + <see cref="JsonDocument"/>, and our <see cref="OllamaChatClient"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class OllamaNativeStreamingBenchmarks
{
    private const int Lines = 2000;
    private static readonly Uri s_chat = new("http://localhost:11434/api/chat");
    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "Hello")];
    private HttpClient _http = null!;
    private OllamaChatClient _adapter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = new StringBuilder();
        for (var i = 0; i < Lines; i++)
        {
            body.Append("{\"model\":\"llama3.2\",\"created_at\":\"2025-07-07T20:22:19.184789Z\",\"message\":{\"role\":\"assistant\",\"content\":")
                .Append(JsonSerializer.Serialize(Payloads.Word(i))).Append("},\"done\":false}\n");
        }

        body.Append("{\"model\":\"llama3.2\",\"created_at\":\"2025-07-07T20:22:19.19314Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,")
            .Append("\"total_duration\":182242375,\"load_duration\":41295167,\"prompt_eval_count\":11,\"prompt_eval_duration\":24573166,\"eval_count\":2000,\"eval_duration\":115959084}\n");
        _http = new HttpClient(new MemoryHttpHandler(Encoding.UTF8.GetBytes(body.ToString()), "application/x-ndjson")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new OllamaChatClient(new OllamaChatClientOptions { Model = "llama3.2" }, _http);

        var expected = new ChatAnswer(Payloads.SyntheticText(Lines), null, 11, Lines);
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        FloorUpdates().GetAwaiter().GetResult().Verify(expected, nameof(FloorUpdates));
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        OllamaChatClient().GetAwaiter().GetResult().Verify(expected, nameof(OllamaChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Floor: HttpClient + pooled line buffer + Utf8JsonReader, text and usage only, no string per line.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Floor() => FloorReader.NdjsonStreamAsync(_http, CreateRequest(), "content"u8.ToArray(), "prompt_eval_count"u8.ToArray(), "eval_count"u8.ToArray());

    /// <summary>The floor plus one update per line: what the contract alone costs.</summary>
    [Benchmark]
    public Task<ChatAnswer> FloorUpdates() => Answers.FromStreamAsync(FloorReader.NdjsonUpdatesAsync(_http, CreateRequest(), "content"u8.ToArray(), "prompt_eval_count"u8.ToArray(), "eval_count"u8.ToArray()));

    /// <summary>Bare HttpClient + StreamReader lines + JsonDocument: text and the done line's counts, nothing else.</summary>
    [Benchmark]
    public async Task<ChatAnswer> Bare()
    {
        using var request = CreateRequest();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        long? input = null, output = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            text.Append(root.GetProperty("message").GetProperty("content").GetString());
            if (root.GetProperty("done").GetBoolean())
            {
                input = root.GetProperty("prompt_eval_count").GetInt64();
                output = root.GetProperty("eval_count").GetInt64();
            }
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }

    /// <summary>LlmAdapters.Ollama's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> OllamaChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    private static HttpRequestMessage CreateRequest() => new(HttpMethod.Post, s_chat)
    {
        Content = new StringContent("{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":true}", Encoding.UTF8, "application/json"),
    };
}
