// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using LlmAdapters.Anthropic;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A non-streamed Anthropic message with a tool call (the recorded <c>anthropic/nonstream-tool-use.json</c>) served from
/// memory, read by bare <see cref="HttpClient"/> + <c>JsonDocument</c> (baseline) and by our <see cref="AnthropicChatClient"/>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class AnthropicResponseBenchmarks
{
    private const string Model = "claude-haiku-4-5";
    private const string Prompt = "What's the weather in SF in Celsius?";
    private const string ApiKey = "sk-ant-bench-0000000000000000";
    private static readonly Uri s_messages = new("https://api.anthropic.com/v1/messages");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private HttpClient _http = null!;
    private AnthropicChatClient _adapter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new MemoryHttpHandler(Payloads.Load("anthropic/nonstream-tool-use.json"), "application/json")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new AnthropicChatClient(new AnthropicChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);

        var expected = new ChatAnswer(string.Empty, "get_weather#toolu_013DU6hV4C1M8dJ32ybQFAFi#2", 597, 71);
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        AnthropicChatClient().GetAwaiter().GetResult().Verify(expected, nameof(AnthropicChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Bare HttpClient + JsonDocument.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Bare() => BareAnthropic.CompleteAsync(_http, s_messages, Model, Prompt, ApiKey);

    /// <summary>LlmAdapters.Anthropic's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> AnthropicChatClient() => Answers.FromResponseAsync(_adapter.GetResponseAsync(_messages));
}
