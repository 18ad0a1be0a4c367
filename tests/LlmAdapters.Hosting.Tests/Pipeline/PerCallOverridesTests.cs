// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>
/// Per-call overrides (issue 15) through the configured pipeline on the emulator: each override does what it says for its
/// call alone, a bad value or an unknown <c>llmadapters.*</c> key fails before anything is sent, and no override key ever
/// reaches a provider.
/// </summary>
public sealed class PerCallOverridesTests
{
    private const string Key = "sk-test-emulator-0000000000000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(EmulatorServer emulator, Dictionary<string, string?> values, Action<IServiceCollection>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = Key,
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        };
        foreach (var (k, v) in values)
        {
            all[k] = v;
        }

        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(all).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    private static async Task<string> StreamTextAsync(IChatClient client, string prompt, ChatOptions? options)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(prompt, options, Ct))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    [Fact]
    public async Task Retry_WithoutRetry_OneRequestWhereTheConfigurationAllowsThree()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:Retry:MaxAttempts"] = "3" });
        emulator.EnqueueFault(new EmulatorFault { StatusCode = 503, Times = 3 });
        var client = services.GetRequiredService<IChatClient>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", new ChatOptions().WithoutRetry(), Ct));

        Assert.True(ex.IsTransient); // what the configured three attempts would have retried
        Assert.Equal(1, emulator.RequestCount);
    }

    [Fact]
    public async Task Timeout_AttemptAndTotal_ShorterPerCallLimitsExpire()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:Timeout:Attempt"] = "60s", ["AI:Pipeline:Timeout:Total"] = "2m" });
        var client = services.GetRequiredService<IChatClient>();

        emulator.EnqueueFault(new EmulatorFault { FirstByteDelay = TimeSpan.FromSeconds(20) });
        var attempt = await Assert.ThrowsAsync<ChatProviderException>(() =>
            client.GetResponseAsync("hi", new ChatOptions().WithAttemptTimeout(TimeSpan.FromMilliseconds(300)), Ct));
        Assert.Equal("local_attempt_timeout", attempt.ErrorCode);

        emulator.EnqueueFault(new EmulatorFault { FirstByteDelay = TimeSpan.FromSeconds(20) });
        var total = await Assert.ThrowsAsync<ChatProviderException>(() =>
            client.GetResponseAsync("hi", new ChatOptions().WithTotalTimeout(TimeSpan.FromMilliseconds(300)), Ct));
        Assert.Equal("local_total_timeout", total.ErrorCode);

        // The configured limits still hold for a call without overrides.
        Assert.False(string.IsNullOrEmpty((await client.GetResponseAsync("hi", cancellationToken: Ct)).Text));
    }

    [Fact]
    public async Task Timeout_Streaming_PerCallFirstUpdateLimitWhereNoneIsConfigured()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        // The stage is on with no configured value: it is there for the calls that bring their own limit.
        await using var services = Build(emulator, new() { ["AI:Pipeline:Timeout:Enabled"] = "true" });
        var client = services.GetRequiredService<IChatClient>();
        emulator.EnqueueFault(new EmulatorFault { FirstByteDelay = TimeSpan.FromSeconds(20) });

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            StreamTextAsync(client, "hi", new ChatOptions().WithFirstUpdateTimeout(TimeSpan.FromMilliseconds(300))));

        Assert.Equal("local_first_update_timeout", ex.ErrorCode);
        Assert.False(string.IsNullOrEmpty(await StreamTextAsync(client, "hi", null)));
    }

    private static Dictionary<string, string?> FallbackConfiguration() => new()
    {
        ["AI:Clients:default:Endpoint"] = "http://127.0.0.1:9/v1", // nothing listens: every call is Unavailable
        ["AI:Clients:default:Pipeline:Fallback:Clients:0"] = "backup",
        ["AI:Clients:default:Pipeline:Fallback:Clients:1"] = "spare",
        ["AI:Clients:backup:Model"] = "gpt-4o-mini",
        ["AI:Clients:spare:Model"] = "gpt-4o",
    };

    [Fact]
    public async Task Fallback_WithoutFallback_PrimaryFailureSurfacesAndNothingReachesTheFallbacks()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, FallbackConfiguration());
        var client = services.GetRequiredService<IChatClient>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("hi", new ChatOptions().WithoutFallback(), Ct));
        await Assert.ThrowsAsync<ChatProviderException>(() => StreamTextAsync(client, "hi", new ChatOptions().WithoutFallback()));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal(0, emulator.RequestCount);
        Assert.Equal("backup", (await client.GetResponseAsync("hi", cancellationToken: Ct)).AdditionalProperties?[FallbackChatClient.ServedByKey]);
    }

    [Fact]
    public async Task Fallback_AnotherList_ServedByItsClientStreamingAndNot()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, FallbackConfiguration());
        var client = services.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync("hi", new ChatOptions().WithFallbackClients("spare"), Ct);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hi", new ChatOptions().WithFallbackClients("spare", "backup"), Ct))
        {
            updates.Add(update);
        }

        Assert.Equal("spare", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal("gpt-4o", response.ModelId);
        Assert.Contains(updates, u => u.AdditionalProperties?.TryGetValue(FallbackChatClient.ServedByKey, out var name) == true && (string?)name == "spare");
        Assert.DoesNotContain(updates, u => u.AdditionalProperties?.TryGetValue(FallbackChatClient.ServedByKey, out var name) == true && (string?)name != "spare");

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", new ChatOptions().WithFallbackClients("sparre"), Ct));
        Assert.Contains("'sparre'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("backup, spare", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(2, emulator.RequestCount);
    }

    [Fact]
    public async Task Cache_RefreshAndBypass_StreamingAndNot()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, new() { ["AI:Pipeline:Cache:Enabled"] = "true" });
        var client = services.GetRequiredService<IChatClient>();

        emulator.EnqueueReply(new EmulatorReply { Text = "first" });
        Assert.Equal("first", (await client.GetResponseAsync("q", cancellationToken: Ct)).Text);
        Assert.Equal("first", (await client.GetResponseAsync("q", cancellationToken: Ct)).Text); // a hit
        Assert.Equal(1, emulator.RequestCount);

        // Refresh: skips the read, and its fresh answer is what later calls read (the override key is not in the cache key).
        emulator.EnqueueReply(new EmulatorReply { Text = "second" });
        Assert.Equal("second", (await client.GetResponseAsync("q", new ChatOptions().WithCacheRefresh(), Ct)).Text);
        Assert.Equal("second", (await client.GetResponseAsync("q", cancellationToken: Ct)).Text);
        Assert.Equal(2, emulator.RequestCount);

        // Bypass: neither reads nor writes.
        emulator.EnqueueReply(new EmulatorReply { Text = "third" });
        Assert.Equal("third", (await client.GetResponseAsync("q", new ChatOptions().WithoutCache(), Ct)).Text);
        Assert.Equal("second", (await client.GetResponseAsync("q", cancellationToken: Ct)).Text);
        Assert.Equal(3, emulator.RequestCount);

        // The same, streaming.
        emulator.EnqueueReply(new EmulatorReply { Text = "s1" });
        Assert.Equal("s1", await StreamTextAsync(client, "stream", null));
        Assert.Equal("s1", await StreamTextAsync(client, "stream", null));
        emulator.EnqueueReply(new EmulatorReply { Text = "s2" });
        Assert.Equal("s2", await StreamTextAsync(client, "stream", new ChatOptions().WithCacheRefresh()));
        Assert.Equal("s2", await StreamTextAsync(client, "stream", null));
        emulator.EnqueueReply(new EmulatorReply { Text = "s3" });
        Assert.Equal("s3", await StreamTextAsync(client, "stream", new ChatOptions().WithoutCache()));
        Assert.Equal("s2", await StreamTextAsync(client, "stream", new ChatOptions().WithMaxAttempts(2)));
        Assert.Equal(6, emulator.RequestCount);
    }

    [Fact]
    public async Task Budget_WorstCaseOutput_LetsACallFitThatTheCatalogLimitWouldNot()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        // gpt-4o-mini's catalog output limit (16,384 tokens at $0.60 per million) alone is about $0.0098: more than the limit.
        await using var services = Build(emulator, new() { ["AI:Pipeline:Budget:Daily"] = "0.001" });
        var client = services.GetRequiredService<IChatClient>();

        await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));
        await Assert.ThrowsAsync<BudgetExceededException>(() => StreamTextAsync(client, "hi", null));
        Assert.Equal(0, emulator.RequestCount);

        Assert.False(string.IsNullOrEmpty((await client.GetResponseAsync("hi", new ChatOptions().WithWorstCaseOutputTokens(50), Ct)).Text));
        Assert.False(string.IsNullOrEmpty(await StreamTextAsync(client, "hi", new ChatOptions().WithWorstCaseOutputTokens(50).WithTenant("acme"))));
        Assert.Equal(2, emulator.RequestCount);
    }

    [Fact]
    public async Task UnknownKey_FailsBeforeAnythingIsSent_NamingTheNearestKnownKey()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(emulator, []);
        var client = services.GetRequiredService<IChatClient>();
        var options = new ChatOptions { AdditionalProperties = new() { ["llmadapters.retry.max_attemps"] = 2 } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", options, Ct));
        var streaming = await Assert.ThrowsAsync<ArgumentException>(() => StreamTextAsync(client, "hi", options));

        Assert.Contains("'llmadapters.retry.max_attemps'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'llmadapters.retry.max_attempts'?", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, streaming.Message);
        Assert.Equal(0, emulator.RequestCount);
    }

    [Fact]
    public async Task KnownKeys_OfStagesOffForThisClientAndOfAThirdPartyStage_AreAccepted()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var stage = new ThirdPartyStage();
        await using var services = Build(emulator, [], s => s.AddChatPipelineStage(stage));
        var client = services.GetRequiredService<IChatClient>();

        // Cache, fallback, budget and timeouts are off for this client: their keys are known, and harmless.
        var options = new ChatOptions().WithoutCache().WithoutFallback().WithWorstCaseOutputTokens(10).WithTotalTimeout(TimeSpan.FromMinutes(1));
        options.AdditionalProperties!["llmadapters.acme.flag"] = "on";
        Assert.False(string.IsNullOrEmpty((await client.GetResponseAsync("hi", options, Ct)).Text));
        Assert.Equal("on", stage.Seen);

        options.AdditionalProperties["llmadapters.acme.flags"] = "on";
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", options, Ct));
        Assert.Contains("Did you mean 'llmadapters.acme.flag'?", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, emulator.RequestCount);
    }

    [Theory]
    [InlineData("openai", "sdk")]
    [InlineData("openai", "native")]
    [InlineData("anthropic", null)]
    [InlineData("ollama", null)]
    [InlineData("dashscope-native", null)]
    [InlineData("gemini", null)]
    public async Task OverrideKeys_NeverReachTheProvider(string provider, string? implementation)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var endpoint = provider switch
        {
            "openai" => emulator.OpenAIEndpoint,
            "anthropic" => emulator.AnthropicEndpoint,
            "ollama" => emulator.OllamaEndpoint,
            "dashscope-native" => emulator.DashScopeEndpoint,
            _ => emulator.GeminiEndpoint,
        };
        var model = provider switch
        {
            "openai" => "gpt-4o-mini",
            "anthropic" => "claude-haiku-4-5",
            "ollama" => "llama3.2",
            "dashscope-native" => "qwen-plus",
            _ => "gemini-2.5-flash",
        };
        await using var services = Build(emulator, new()
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = endpoint.ToString(),
            ["AI:Model"] = model,
            ["AI:Implementation"] = implementation,
        });
        var client = services.GetRequiredService<IChatClient>();
        ChatOptions Options() => new ChatOptions().WithTenant("acme").WithMaxAttempts(1).WithAttemptTimeout(TimeSpan.FromMinutes(1))
            .WithoutFallback().WithCacheRefresh().WithWorstCaseOutputTokens(100);

        await client.GetResponseAsync("hi", Options(), Ct);
        await StreamTextAsync(client, "hi", Options());

        Assert.Equal(2, emulator.Requests.Count);
        Assert.All(emulator.Requests, r => Assert.DoesNotContain("llmadapters", r.Body, StringComparison.OrdinalIgnoreCase));
        Assert.All(emulator.Requests, r => Assert.DoesNotContain("acme", r.Body, StringComparison.Ordinal));
    }

    private sealed class ThirdPartyStage : ChatPipelineStage<bool>
    {
        public string? Seen { get; private set; }

        public override string Name => "Acme";

        public override int Order => ChatPipelineOrder.Logging + 1;

        public override IReadOnlyCollection<string> CallOverrideKeys => ["llmadapters.acme.flag"];

        public override bool IsEnabled(ChatPipelineContext context) => true;

        public override bool Read(ChatPipelineContext context, List<string> errors) => true;

        public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, bool options) =>
            new ConfigureOptionsChatClient(innerClient, options => Seen = options.AdditionalProperties?["llmadapters.acme.flag"] as string);
    }
}
