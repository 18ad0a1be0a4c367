// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Native;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Issues;

/// <summary>
/// Issue 22: a conversation with thinking and a tool call, started on one native provider and failed over mid tool loop to
/// another through a configured fallback (<c>Pipeline:Fallback</c>), used to send the first provider's signatures to the
/// second as its own (Anthropic's thinking signature as a Gemini <c>thoughtSignature</c>, Gemini's as an Anthropic
/// <c>thinking</c> block), which the real services refuse with a 400 on exactly the call the fallback was for. The emulator
/// now refuses state it did not issue as they do; provider-bound state carries its origin and never crosses.
/// </summary>
public sealed class IssuesTestsCrossProvider22
{
    private static readonly JsonSerializerOptions s_unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] s_providers = ["anthropic", "gemini", "openai", "ollama", "dashscope-native"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, bool, bool> Pairs()
    {
        var data = new TheoryData<string, string, bool, bool>();
        foreach (var from in s_providers)
        {
            foreach (var to in s_providers.Where(p => p != from))
            {
                data.Add(from, to, false, false);
                data.Add(from, to, true, false);
                data.Add(from, to, false, true);
                data.Add(from, to, true, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task ToolLoopWithThinking_FailsOverMidConversation_NextProviderAnswers(string from, string to, bool streaming, bool persisted)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, emulator, from, to);
        var client = services.GetRequiredKeyedService<IChatClient>("primary");

        // Turn 1, on the primary: thinking, then a call to the tool.
        List<ChatMessage> history = [new(ChatRole.User, "call get_weather city=Paris")];
        var first = await AskAsync(client, history, streaming);
        Assert.Contains(first.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent { Text.Length: > 0 });
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Paris")]));
        if (persisted)
        {
            history = RoundTrip(history);
        }

        // Turn 2: the primary is down; the fallback continues the tool loop with the same history.
        emulator.Faults.Enqueue(new EmulatorFault { Dialect = Dialect(from), StatusCode = 503 });
        var second = await AskAsync(client, history, streaming);

        Assert.Equal("backup", ServedBy(second));
        Assert.Contains("sunny in Paris", second.Text, StringComparison.Ordinal);
        var sent = emulator.Requests[^1];
        Assert.Equal(Dialect(to), sent.Dialect);
        foreach (var signature in Signatures(first))
        {
            Assert.DoesNotContain(signature, Unescaped(sent), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, bool> PlainPairs()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var from in s_providers)
        {
            foreach (var to in s_providers.Where(p => p != from))
            {
                data.Add(from, to, false);
                data.Add(from, to, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlainPairs))]
    public async Task AnswerWithThinking_NextTurnFailsOver_NextProviderAnswers(string from, string to, bool streaming)
    {
        // The issue's first report: Gemini's text-part signature went to Anthropic as an empty thinking block, Anthropic's
        // thinking to Gemini as a thought part carrying Anthropic's signature.
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, emulator, from, to);
        var client = services.GetRequiredKeyedService<IChatClient>("primary");
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low, Output = ReasoningOutput.Full } };

        List<ChatMessage> history = [new(ChatRole.User, "Why is the sky blue?")];
        var first = streaming
            ? await client.GetStreamingResponseAsync(history, options, Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync(history, options, Ct);
        Assert.Contains(first.Messages.SelectMany(m => m.Contents), c => c is TextReasoningContent { Text.Length: > 0 });
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Thanks. And at sunset?"));

        emulator.Faults.Enqueue(new EmulatorFault { Dialect = Dialect(from), StatusCode = 503 });
        var second = streaming
            ? await client.GetStreamingResponseAsync(history, options, Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync(history, options, Ct);

        Assert.Equal("backup", ServedBy(second));
        Assert.Equal(Dialect(to), emulator.Requests[^1].Dialect);
        foreach (var signature in Signatures(first))
        {
            Assert.DoesNotContain(signature, Unescaped(emulator.Requests[^1]), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("anthropic", false, false)]
    [InlineData("anthropic", true, false)]
    [InlineData("anthropic", false, true)]
    [InlineData("anthropic", true, true)]
    [InlineData("gemini", false, false)]
    [InlineData("gemini", true, false)]
    [InlineData("gemini", false, true)]
    [InlineData("gemini", true, true)]
    public async Task ToolLoopWithThinking_SameProvider_SignaturesGoBackUnchanged(string provider, bool streaming, bool persisted)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, emulator, provider, "openai");
        var client = services.GetRequiredKeyedService<IChatClient>("primary");

        List<ChatMessage> history = [new(ChatRole.User, "call get_weather city=Paris")];
        var first = await AskAsync(client, history, streaming);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Paris")]));
        if (persisted)
        {
            history = RoundTrip(history);
        }

        var second = await AskAsync(client, history, streaming);

        Assert.Equal("primary", ServedBy(second));
        var signatures = Signatures(first);
        Assert.NotEmpty(signatures);
        var sent = emulator.Requests[^1];
        Assert.Equal(Dialect(provider), sent.Dialect);
        foreach (var signature in signatures)
        {
            Assert.True(Unescaped(sent).Contains(signature, StringComparison.Ordinal), $"{signature} not in {sent.Body}");
        }

        if (provider == "anthropic")
        {
            // Thinking stays on, and the tool turn opens with its thinking block, as the API requires.
            var body = JsonNode.Parse(sent.Body)!;
            Assert.Equal("enabled", (string?)body["thinking"]?["type"]);
            Assert.Equal("thinking", (string?)body["messages"]![1]!["content"]![0]!["type"]);
        }
    }

    [Theory]
    [InlineData("anthropic", false)]
    [InlineData("anthropic", true)]
    [InlineData("gemini", false)]
    [InlineData("gemini", true)]
    public async Task ToolLoopWithThinking_SameDialectOtherEndpoint_SignaturesLeftOut(string provider, bool streaming)
    {
        // Two servers, two secrets: each refuses the other's signatures, as two accounts or regions of a service may.
        await using var primary = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var backup = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(primary, backup, provider, provider);
        var client = services.GetRequiredKeyedService<IChatClient>("primary");

        List<ChatMessage> history = [new(ChatRole.User, "call get_weather city=Paris")];
        var first = await AskAsync(client, history, streaming);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Paris")]));

        primary.Faults.Enqueue(new EmulatorFault { Dialect = Dialect(provider), StatusCode = 503 });
        var second = await AskAsync(client, history, streaming);

        Assert.Equal("backup", ServedBy(second));
        var sent = Assert.Single(backup.Requests);
        foreach (var signature in Signatures(first))
        {
            Assert.DoesNotContain(signature, Unescaped(sent), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForeignReasoningAsText_OnRequest_TheNextProviderReadsItAsText_NeverTheSignature(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, emulator, "anthropic", "ollama");
        var client = services.GetRequiredKeyedService<IChatClient>("primary");

        List<ChatMessage> history = [new(ChatRole.User, "call get_weather city=Paris")];
        var first = await AskAsync(client, history, streaming);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        var reasoning = string.Concat(first.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Paris")]));

        emulator.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", StatusCode = 503 });
        var options = Options();
        options.AdditionalProperties = new() { [ProviderState.ForeignReasoningPropertyName] = "text" };
        var second = streaming
            ? await client.GetStreamingResponseAsync(history, options, Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync(history, options, Ct);

        Assert.Equal("backup", ServedBy(second));
        var assistant = JsonNode.Parse(emulator.Requests[^1].Body)!["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!;
        Assert.Equal(reasoning, (string?)assistant["content"]);
        Assert.Null(assistant["thinking"]);
        foreach (var signature in Signatures(first))
        {
            Assert.DoesNotContain(signature, Unescaped(emulator.Requests[^1]), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CrossProviderFailover_OneLedgerEntry_AtTheServingModelsPrice()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var ledger = new RecordingLedger();
        await using var services = Build(emulator, emulator, "anthropic", "gemini", s => s.AddSingleton<ICostLedger>(ledger));
        var client = services.GetRequiredKeyedService<IChatClient>("primary");

        List<ChatMessage> history = [new(ChatRole.User, "call get_weather city=Paris")];
        var first = await client.GetResponseAsync(history, Options(), Ct);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny in Paris")]));
        var before = ledger.Entries.Count;

        emulator.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", StatusCode = 503 });
        var second = await client.GetResponseAsync(history, Options(), Ct);

        var entry = Assert.Single(ledger.Entries.Skip(before));
        Assert.Equal("primary", entry.ClientName);
        Assert.Equal(second.ModelId, entry.ModelId);
        Assert.StartsWith("gemini-", entry.ModelId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossProviderStream_FailsAfterTheFirstUpdate_NoFallback()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, emulator, "anthropic", "gemini");
        var client = services.GetRequiredKeyedService<IChatClient>("primary");
        emulator.Faults.Enqueue(new EmulatorFault { Dialect = "anthropic", ErrorType = "overloaded_error", CutAfterChunks = 4 });

        var updates = new List<ChatResponseUpdate>();
        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("call get_weather city=Paris", Options(), Ct))
            {
                updates.Add(update);
            }
        });

        Assert.NotEmpty(updates);
        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.DoesNotContain(emulator.Requests, r => r.Dialect == "gemini");
    }

    private static ChatOptions Options() => new()
    {
        Tools = [AIFunctionFactory.Create((string city) => "sunny in " + city, "get_weather").AsDeclarationOnly()],
        Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low, Output = ReasoningOutput.Full },
    };

    private static async Task<ChatResponse> AskAsync(IChatClient client, List<ChatMessage> history, bool streaming) =>
        streaming
            ? await client.GetStreamingResponseAsync(history, Options(), Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync(history, Options(), Ct);

    private static List<ChatMessage> RoundTrip(List<ChatMessage> history)
    {
        var json = JsonSerializer.Serialize(history, AIJsonUtilities.DefaultOptions);
        var back = JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions)!;

        // The marks come back with the history.
        var reasoning = back.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.All(reasoning, r => Assert.NotNull(ProviderState.GetOrigin(r)));
        Assert.All(back.SelectMany(m => m.Contents).OfType<FunctionCallContent>(), c => Assert.NotNull(ProviderState.GetOrigin(c)));
        return back;
    }

    /// <summary>The provider-bound signatures of a response: reasoning's protected data and Gemini's call signatures.</summary>
    private static List<string> Signatures(ChatResponse response)
    {
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var result = contents.OfType<TextReasoningContent>().Select(r => r.ProtectedData).OfType<string>().Where(s => s.Length > 0).ToList();
        foreach (var content in contents)
        {
            if (content.AdditionalProperties?.TryGetValue("gemini.thought_signature", out var value) == true && value is string s)
            {
                result.Add(s);
            }
        }

        return result;
    }

    /// <summary>The body as text with JSON's escapes undone (a base64 signature's <c>+</c> is sent as <c>\u002B</c>).</summary>
    private static string Unescaped(EmulatorRequest request) =>
        JsonSerializer.Serialize(JsonNode.Parse(request.Body), s_unescaped);

    /// <summary>The client that served: on the response, or (streamed updates with a message id) on its message.</summary>
    private static object? ServedBy(ChatResponse response) =>
        response.AdditionalProperties?.GetValueOrDefault(FallbackChatClient.ServedByKey) ??
        response.Messages.Select(m => m.AdditionalProperties?.GetValueOrDefault(FallbackChatClient.ServedByKey)).FirstOrDefault(v => v is not null);

    private static string Dialect(string provider) => provider == "dashscope-native" ? "dashscope" : provider;

    private static (string Model, Uri Endpoint) Target(EmulatorServer emulator, string provider) => provider switch
    {
        "anthropic" => ("claude-sonnet-4-5", emulator.AnthropicEndpoint),
        "gemini" => ("gemini-3-pro-preview", emulator.GeminiEndpoint),
        "openai" => ("gpt-4o", emulator.OpenAIEndpoint),
        "ollama" => ("qwen3", emulator.OllamaEndpoint),
        _ => ("qwen-plus", emulator.DashScopeEndpoint),
    };

    private static ServiceProvider Build(EmulatorServer primary, EmulatorServer backup, string from, string to, Action<IServiceCollection>? configure = null)
    {
        var (fromModel, fromEndpoint) = Target(primary, from);
        var (toModel, toEndpoint) = Target(backup, to);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI:Clients:primary:Provider"] = from,
            ["AI:Clients:primary:Model"] = fromModel,
            ["AI:Clients:primary:Endpoint"] = fromEndpoint.ToString(),
            ["AI:Clients:primary:Pipeline:Retry:MaxAttempts"] = "1",
            ["AI:Clients:primary:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:backup:Provider"] = to,
            ["AI:Clients:backup:Model"] = toModel,
            ["AI:Clients:backup:Endpoint"] = toEndpoint.ToString(),
        }).Build();

        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return services.BuildServiceProvider();
    }

    private sealed class RecordingLedger : ICostLedger
    {
        private readonly InMemoryCostLedger _inner = new();

        public ConcurrentQueue<CostEntry> Entries { get; } = new();

        public void Record(CostEntry entry)
        {
            Entries.Enqueue(entry);
            _inner.Record(entry);
        }

        public CostSummary GetTotal(string? clientName = null, string? modelId = null, string? tenant = null) => _inner.GetTotal(clientName, modelId, tenant);

        public IReadOnlyList<CostSummary> GetTotals(CostGrouping grouping) => _inner.GetTotals(grouping);
    }
}
