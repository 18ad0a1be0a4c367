// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Emulator;
using LlmAdapters.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed chat completion over real loopback HTTP against the in-process <see cref="EmulatorServer"/> (OpenAI
/// dialect): bare <see cref="HttpClient"/> POST + <c>SseParser</c> + <c>JsonDocument</c> (baseline) against our
/// <see cref="OpenAICompatibleChatClient"/> and the OpenAI SDK's <c>AsIChatClient()</c> it wraps, all over the same pooled <see cref="HttpClient"/>. The server runs in the
/// same process, so its work (Kestrel, the emulator's model, its request log) is in both rows, time and allocations.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class EmulatorRoundTripBenchmarks
{
    private const string Model = "emulator-1";
    private const string Prompt = "Say hello to the benchmark in a short sentence";

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private EmulatorServer _server = null!;
    private HttpClient _http = null!;
    private Uri _chatCompletions = null!;
    private OpenAICompatibleChatClient _adapter = null!;
    private IChatClient _meai = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = EmulatorServer.StartAsync().GetAwaiter().GetResult();
        _http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _chatCompletions = new Uri(_server.BaseAddress, "v1/chat/completions");
        _adapter = new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Model = Model, Endpoint = _server.OpenAIEndpoint }, _http);

        _meai = new global::OpenAI.Chat.ChatClient(
            Model,
            new ApiKeyCredential("no-key"),
            new OpenAIClientOptions { Endpoint = _server.OpenAIEndpoint, Transport = new HttpClientPipelineTransport(_http) }).AsIChatClient();

        var expected = Bare().GetAwaiter().GetResult();
        if (expected.Text.Length == 0 || expected.OutputTokens is null)
        {
            throw new InvalidOperationException($"The emulator answered {expected}.");
        }

        OpenAICompatibleChatClient().GetAwaiter().GetResult().Verify(expected, nameof(OpenAICompatibleChatClient));
        MeaiOpenAIChatClient().GetAwaiter().GetResult().Verify(expected, nameof(MeaiOpenAIChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _meai.Dispose();
        _http.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Bare HttpClient + SseParser + JsonDocument over loopback.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Bare() => BareOpenAI.StreamAsync(_http, _chatCompletions, Model, Prompt, apiKey: null);

    /// <summary>LlmAdapters.OpenAI's adapter over loopback.</summary>
    [Benchmark]
    public Task<ChatAnswer> OpenAICompatibleChatClient() => Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));

    /// <summary>Microsoft.Extensions.AI.OpenAI over the OpenAI SDK, without our wrapper, over loopback.</summary>
    [Benchmark]
    public Task<ChatAnswer> MeaiOpenAIChatClient() => Answers.FromStreamAsync(_meai.GetStreamingResponseAsync(_messages));
}
