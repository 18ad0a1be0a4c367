// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using BenchmarkDotNet.Attributes;
using LlmAdapters.OpenAI;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed OpenAI chat completion served from memory (the recorded <c>openai/stream-text-usage.sse</c>, and a
/// synthetic stream of 2,000 text chunks built from its recorded <c>"Hello"</c> chunk), read five ways over the same
/// <see cref="HttpMessageHandler"/>: the floor (baseline: HttpClient + <c>SseParser</c> + <c>Utf8JsonReader</c>, text and
/// usage without a string per event), bare <see cref="HttpClient"/> + <c>SseParser</c> + <c>JsonDocument</c>, the native
/// <see cref="OpenAIChatCompletionsClient"/>, the SDK path <see cref="OpenAICompatibleChatClient"/>, and the OpenAI SDK's
/// <c>ChatClient.AsIChatClient()</c> from Microsoft.Extensions.AI.OpenAI that it wraps (the raw M.E.AI.OpenAI peer row,
/// which also shows what the wrapper adds).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class OpenAIStreamingBenchmarks
{
    private const string Model = "gpt-4o-mini";
    private const string Prompt = "Hello";
    private const string ApiKey = "sk-bench-0000000000000000";
    private const int ChunkCount = 2000;
    private static readonly Uri s_endpoint = new("https://api.openai.com/v1");
    private static readonly Uri s_chatCompletions = new("https://api.openai.com/v1/chat/completions");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private HttpClient _http = null!;
    private OpenAICompatibleChatClient _adapter = null!;
    private OpenAIChatCompletionsClient _native = null!;
    private IChatClient _meai = null!;

    /// <summary>Gets or sets the stream served: <c>recorded</c> (12 chunks) or <c>synthetic-2000</c>.</summary>
    [Params("recorded", "synthetic-2000")]
    public string Stream { get; set; } = "recorded";

    [GlobalSetup]
    public void Setup()
    {
        var synthetic = Stream != "recorded";
        var body = synthetic ? Payloads.OpenAISyntheticStream(ChunkCount) : Payloads.Load("openai/stream-text-usage.sse");
        _http = new HttpClient(new MemoryHttpHandler(body, "text/event-stream")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);
        _native = new OpenAIChatCompletionsClient(new OpenAIChatCompletionsClientOptions { Common = { Model = Model, ApiKey = ApiKey } }, _http);
        _meai = new global::OpenAI.Chat.ChatClient(
            Model,
            new ApiKeyCredential(ApiKey),
            new OpenAIClientOptions { Endpoint = s_endpoint, Transport = new HttpClientPipelineTransport(_http) }).AsIChatClient();

        var expected = new ChatAnswer(synthetic ? Payloads.SyntheticText(ChunkCount) : "Hello! How can I assist you today?", null, 8, 9);
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        OpenAICompatibleChatClient().GetAwaiter().GetResult().Verify(expected, nameof(OpenAICompatibleChatClient));
        MeaiOpenAIChatClient().GetAwaiter().GetResult().Verify(expected, nameof(MeaiOpenAIChatClient));
        Native().GetAwaiter().GetResult().Verify(expected, nameof(Native));
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        FloorUpdates().GetAwaiter().GetResult().Verify(expected, nameof(FloorUpdates));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _native.Dispose();
        _meai.Dispose();
        _http.Dispose();
    }

    /// <summary>Bare HttpClient + SseParser + JsonDocument.</summary>
    [Benchmark]
    public Task<ChatAnswer> Bare() => BareOpenAI.StreamAsync(_http, s_chatCompletions, Model, Prompt, ApiKey);

    /// <summary>LlmAdapters.OpenAI's native Chat Completions client (<c>Implementation: native</c>).</summary>
    [Benchmark]
    public Task<ChatAnswer> Native() => Answers.FromStreamAsync(_native.GetStreamingResponseAsync(_messages));

    /// <summary>LlmAdapters.OpenAI's SDK-path adapter (<c>Implementation: sdk</c>).</summary>
    [Benchmark]
    public Task<ChatAnswer> OpenAICompatibleChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    /// <summary>Microsoft.Extensions.AI.OpenAI over the OpenAI SDK, as our adapter uses it, without our wrapper.</summary>
    [Benchmark]
    public Task<ChatAnswer> MeaiOpenAIChatClient() => Answers.FromStreamAsync(_meai.GetStreamingResponseAsync(_messages));

    /// <summary>Floor: HttpClient + SseParser + Utf8JsonReader, text and usage only, no string per event.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Floor() => FloorReader.OpenAIStreamAsync(_http, s_chatCompletions, Model, Prompt, ApiKey);

    /// <summary>The floor plus one <see cref="ChatResponseUpdate"/> and <see cref="TextContent"/> per text chunk: what the <see cref="IChatClient"/> contract alone costs.</summary>
    [Benchmark]
    public Task<ChatAnswer> FloorUpdates() => Answers.FromStreamAsync(FloorReader.OpenAIUpdatesAsync(_http, s_chatCompletions, Model, Prompt, ApiKey));
}
