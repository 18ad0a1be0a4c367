// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using LlmAdapters.Anthropic;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed Anthropic message served from memory (the recorded <c>anthropic/stream-text-basic.sse</c>, and a synthetic
/// stream of 500 <c>text_delta</c> events in the same shape), read by bare <see cref="HttpClient"/> + <c>SseParser</c> +
/// <c>JsonDocument</c> (baseline) and by our <see cref="AnthropicChatClient"/> over the same handler.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class AnthropicStreamingBenchmarks
{
    private const string Model = "claude-3-opus-latest";
    private const string Prompt = "Hello";
    private const string ApiKey = "sk-ant-bench-0000000000000000";
    private static readonly Uri s_messages = new("https://api.anthropic.com/v1/messages");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private HttpClient _http = null!;
    private AnthropicChatClient _adapter = null!;

    /// <summary>Gets or sets the stream served: <c>recorded</c> (3 text deltas) or <c>synthetic-500</c>.</summary>
    [Params("recorded", "synthetic-500")]
    public string Stream { get; set; } = "recorded";

    [GlobalSetup]
    public void Setup()
    {
        var synthetic = Stream != "recorded";
        var body = synthetic ? Payloads.AnthropicSyntheticStream(500) : Payloads.Load("anthropic/stream-text-basic.sse");
        _http = new HttpClient(new MemoryHttpHandler(body, "text/event-stream")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new AnthropicChatClient(new AnthropicChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);

        var expected = new ChatAnswer(synthetic ? Payloads.SyntheticText(500) : "Hello there!", null, 11, 6);
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        AnthropicChatClient().GetAwaiter().GetResult().Verify(expected, nameof(AnthropicChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Bare HttpClient + SseParser + JsonDocument.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Bare() => BareAnthropic.StreamAsync(_http, s_messages, Model, Prompt, ApiKey);

    /// <summary>LlmAdapters.Anthropic's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> AnthropicChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));
}
