// Licensed under the MIT License.

using Anthropic;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Anthropic;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed Anthropic message served from memory (the recorded <c>anthropic/stream-text-basic.sse</c>, and a synthetic
/// stream of 500 <c>text_delta</c> events in the same shape), read by bare <see cref="HttpClient"/> + <c>SseParser</c> +
/// <c>JsonDocument</c> (baseline), by our <see cref="AnthropicChatClient"/>, and by the peer rows over the same handler:
/// the official Anthropic SDK's <c>IChatClient</c> (package <c>Anthropic</c> 13.12.0) and a floor of HttpClient +
/// <c>SseParser</c> + <c>Utf8JsonReader</c> that extracts text and usage without a string per event.
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
    private IChatClient _sdk = null!;

    /// <summary>Gets or sets the stream served: <c>recorded</c> (3 text deltas), <c>synthetic-500</c> or <c>synthetic-2000</c> (the other dialects' length, issue 24).</summary>
    [Params("recorded", "synthetic-500", "synthetic-2000")]
    public string Stream { get; set; } = "recorded";

    [GlobalSetup]
    public void Setup()
    {
        var synthetic = Stream != "recorded";
        var deltas = Stream == "synthetic-2000" ? 2000 : 500;
        var body = synthetic ? Payloads.AnthropicSyntheticStream(deltas) : Payloads.Load("anthropic/stream-text-basic.sse");
        _http = new HttpClient(new MemoryHttpHandler(body, "text/event-stream")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new AnthropicChatClient(new AnthropicChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);
        _sdk = new AnthropicClient { ApiKey = ApiKey, HttpClient = _http, MaxRetries = 0 }.AsIChatClient(Model, 1024);

        var expected = new ChatAnswer(synthetic ? Payloads.SyntheticText(deltas) : "Hello there!", null, 11, 6);
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        AnthropicChatClient().GetAwaiter().GetResult().Verify(expected, nameof(AnthropicChatClient));
        AnthropicSdk().GetAwaiter().GetResult().Verify(expected, nameof(AnthropicSdk));
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        FloorUpdates().GetAwaiter().GetResult().Verify(expected, nameof(FloorUpdates));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _sdk.Dispose();
        _http.Dispose();
    }

    /// <summary>Bare HttpClient + SseParser + JsonDocument.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Bare() => BareAnthropic.StreamAsync(_http, s_messages, Model, Prompt, ApiKey);

    /// <summary>LlmAdapters.Anthropic's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> AnthropicChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    /// <summary>Peer: the official Anthropic SDK 13.12's <c>IChatClient</c>.</summary>
    [Benchmark]
    public Task<ChatAnswer> AnthropicSdk() => Answers.FromStreamAsync(_sdk.GetStreamingResponseAsync(_messages));

    /// <summary>Floor: HttpClient + SseParser + Utf8JsonReader, text and usage only, no string per event.</summary>
    [Benchmark]
    public Task<ChatAnswer> Floor() => FloorReader.AnthropicStreamAsync(_http, s_messages, Model, Prompt, ApiKey);

    /// <summary>The floor plus one update per text delta and one usage update: what the <see cref="IChatClient"/> contract alone costs.</summary>
    [Benchmark]
    public Task<ChatAnswer> FloorUpdates() => Answers.FromStreamAsync(FloorReader.SseUpdatesAsync(
        _http, BareAnthropic.CreateRequest(s_messages, Model, Prompt, ApiKey, stream: true), "text"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray()));
}
