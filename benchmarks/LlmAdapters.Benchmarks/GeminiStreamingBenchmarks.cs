// Licensed under the MIT License.

using System.Text;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Gemini;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed Gemini answer served from memory (the recorded <c>gemini/stream-text-simple.sse</c>, and a synthetic stream of
/// 2,000 text chunks built from its first one, ending with its last), read by the floor (baseline: <see cref="HttpClient"/> +
/// <c>SseParser</c> + <c>Utf8JsonReader</c>, no string per event), the floor plus one update per chunk (<c>FloorUpdates</c>,
/// the <see cref="IChatClient"/> contract's minimum), bare <c>JsonDocument</c> per chunk, and our <see cref="GeminiChatClient"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class GeminiStreamingBenchmarks
{
    private const string Model = "gemini-2.0-flash";
    private const string Prompt = "What is the capital of France?";
    private const string ApiKey = "AIza-bench-00000000000000000000";
    private static readonly Uri s_stream = new($"https://generativelanguage.googleapis.com/v1beta/models/{Model}:streamGenerateContent?alt=sse");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private HttpClient _http = null!;
    private GeminiChatClient _adapter = null!;

    private const int Chunks = 2000;

    /// <summary>Gets or sets the stream served: <c>recorded</c> (3 chunks) or <c>synthetic-2000</c>.</summary>
    [Params("recorded", "synthetic-2000")]
    public string Stream { get; set; } = "recorded";

    [GlobalSetup]
    public void Setup()
    {
        var synthetic = Stream != "recorded";
        var body = synthetic ? SyntheticStream(Chunks) : Payloads.Load("gemini/stream-text-simple.sse");
        _http = new HttpClient(new MemoryHttpHandler(body, "text/event-stream")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new GeminiChatClient(new GeminiChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);

        var expected = new ChatAnswer(synthetic ? Payloads.SyntheticText(Chunks) + " is **Paris**.\n" : "The capital of France is **Paris**.\n", null, 7, 9);
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        FloorUpdates().GetAwaiter().GetResult().Verify(expected, nameof(FloorUpdates));
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        GeminiChatClient().GetAwaiter().GetResult().Verify(expected, nameof(GeminiChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Floor: HttpClient + SseParser + Utf8JsonReader, text and usage only, no string per event.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Floor() => FloorReader.SseStreamAsync(_http, BareGemini.CreateRequest(s_stream, Prompt, ApiKey), "text"u8.ToArray(), "promptTokenCount"u8.ToArray(), "candidatesTokenCount"u8.ToArray());

    /// <summary>The floor plus one update per chunk: what the contract alone costs.</summary>
    [Benchmark]
    public Task<ChatAnswer> FloorUpdates() => Answers.FromStreamAsync(FloorReader.SseUpdatesAsync(_http, BareGemini.CreateRequest(s_stream, Prompt, ApiKey), "text"u8.ToArray(), "promptTokenCount"u8.ToArray(), "candidatesTokenCount"u8.ToArray()));

    /// <summary>Bare HttpClient + SseParser + JsonDocument.</summary>
    [Benchmark]
    public Task<ChatAnswer> Bare() => BareGemini.StreamAsync(_http, s_stream, Prompt, ApiKey);

    /// <summary>LlmAdapters.Gemini's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> GeminiChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    /// <summary>The recorded first chunk with its text replaced, <paramref name="count"/> times, then the recorded last chunk.</summary>
    private static byte[] SyntheticStream(int count)
    {
        var events = Encoding.UTF8.GetString(Payloads.Load("gemini/stream-text-simple.sse")).Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append(events[0].Replace("\"text\":\"The\"", "\"text\":\"" + Payloads.Word(i) + "\"", StringComparison.Ordinal)).Append("\r\n\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.Append(events[^1]).Append("\r\n\r\n").ToString());
    }
}
