// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using BenchmarkDotNet.Attributes;
using LlmAdapters.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A non-streamed OpenAI chat completion (the recorded <c>openai/nonstream-text.json</c>) served from memory, read
/// three ways over the same handler: bare <see cref="HttpClient"/> + <c>JsonDocument</c> (baseline), our
/// <see cref="OpenAICompatibleChatClient"/>, and Microsoft.Extensions.AI.OpenAI's <c>AsIChatClient()</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class OpenAIResponseBenchmarks
{
    private const string Model = "gpt-4o-mini";
    private const string Prompt = "Hello";
    private const string ApiKey = "sk-bench-0000000000000000";
    private static readonly Uri s_endpoint = new("https://api.openai.com/v1");
    private static readonly Uri s_chatCompletions = new("https://api.openai.com/v1/chat/completions");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];
    private HttpClient _http = null!;
    private OpenAICompatibleChatClient _adapter = null!;
    private IChatClient _meai = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new MemoryHttpHandler(Payloads.Load("openai/nonstream-text.json"), "application/json")) { Timeout = Timeout.InfiniteTimeSpan };
        _adapter = new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { Model = Model, ApiKey = ApiKey }, _http);
        _meai = new global::OpenAI.Chat.ChatClient(
            Model,
            new ApiKeyCredential(ApiKey),
            new OpenAIClientOptions { Endpoint = s_endpoint, Transport = new HttpClientPipelineTransport(_http) }).AsIChatClient();

        var expected = new ChatAnswer("Hello! How can I assist you today?", null, 8, 9);
        Bare().GetAwaiter().GetResult().Verify(expected, nameof(Bare));
        OpenAICompatibleChatClient().GetAwaiter().GetResult().Verify(expected, nameof(OpenAICompatibleChatClient));
        MeaiOpenAIChatClient().GetAwaiter().GetResult().Verify(expected, nameof(MeaiOpenAIChatClient));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _adapter.Dispose();
        _meai.Dispose();
        _http.Dispose();
    }

    /// <summary>Bare HttpClient + JsonDocument.</summary>
    [Benchmark(Baseline = true)]
    public Task<ChatAnswer> Bare() => BareOpenAI.CompleteAsync(_http, s_chatCompletions, Model, Prompt, ApiKey);

    /// <summary>LlmAdapters.OpenAI's adapter.</summary>
    [Benchmark]
    public Task<ChatAnswer> OpenAICompatibleChatClient() => Answers.FromResponseAsync(_adapter.GetResponseAsync(_messages));

    /// <summary>Microsoft.Extensions.AI.OpenAI over the OpenAI SDK, without our wrapper.</summary>
    [Benchmark]
    public Task<ChatAnswer> MeaiOpenAIChatClient() => Answers.FromResponseAsync(_meai.GetResponseAsync(_messages));
}
