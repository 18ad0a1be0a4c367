// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting.Tests;

public sealed class ConfiguredChatClientsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The seed design: two named configurations, each with model, max tokens, temperature and a system prompt.</summary>
    private static readonly Dictionary<string, string?> s_seed = new()
    {
        ["AI:Provider"] = "recording",
        ["AI:ApiKey"] = "test-key-123456",
        ["AI:Clients:default:Model"] = "model-default",
        ["AI:Clients:default:MaxOutputTokens"] = "512",
        ["AI:Clients:default:Temperature"] = "0.7",
        ["AI:Clients:default:SystemPrompt"] = "You are helpful.",
        ["AI:Clients:welcome:Model"] = "model-welcome",
        ["AI:Clients:welcome:MaxOutputTokens"] = "120",
        ["AI:Clients:welcome:Temperature"] = "0.9",
        ["AI:Clients:welcome:SystemPrompt"] = "Greet warmly.",
    };

    private static (ServiceProvider Services, RecordingProvider Provider) Build(
        Dictionary<string, string?> values, Action<IServiceCollection>? configure = null, RecordingProvider? provider = null)
    {
        provider ??= new RecordingProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddChatProvider(provider);
        configure?.Invoke(services);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return (services.BuildServiceProvider(), provider);
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> values, params (string Key, string? Value)[] changes)
    {
        var copy = new Dictionary<string, string?>(values);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                copy.Remove(key);
            }
            else
            {
                copy[key] = value;
            }
        }

        return copy;
    }

    /// <summary>The keys of a default client on the built-in openai provider, pointed at an emulator.</summary>
    private static Dictionary<string, string?> OpenAIOn(Emulator.EmulatorServer emulator, string model, params (string Key, string? Value)[] more) => With(
        new()
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI:Model"] = model,
        },
        more);

    private static string ValidationMessage(ServiceProvider services) =>
        string.Join("\n", services.GetRequiredService<ConfiguredChatClients>().Validate());

    [Fact]
    public async Task KeyedClients_SeedConfiguration_EachAppliesItsOwnDefaults()
    {
        var (services, provider) = Build(s_seed);
        await using var _ = services;

        var welcome = services.GetRequiredKeyedService<IChatClient>("welcome");
        await welcome.GetResponseAsync("hi", cancellationToken: Ct);
        var options = Assert.Single(provider.Requests)!;
        Assert.Equal("model-welcome", options.ModelId);
        Assert.Equal(120, options.MaxOutputTokens);
        Assert.Equal(0.9f, options.Temperature);
        Assert.Equal("Greet warmly.", options.Instructions);

        var unkeyed = services.GetRequiredService<IChatClient>();
        await unkeyed.GetResponseAsync("hi", cancellationToken: Ct);
        Assert.Equal("model-default", provider.Requests[1]!.ModelId);
        Assert.Equal(512, provider.Requests[1]!.MaxOutputTokens);
        Assert.Equal("You are helpful.", provider.Requests[1]!.Instructions);
        Assert.Same(services.GetRequiredKeyedService<IChatClient>("default").GetService<ChatClientMetadata>(), unkeyed.GetService<ChatClientMetadata>());
    }

    [Fact]
    public async Task GetResponseAsync_CallerOptions_WinOverConfiguredDefaults()
    {
        var (services, provider) = Build(s_seed);
        await using var _ = services;
        await services.GetRequiredService<IChatClient>().GetResponseAsync("hi", new ChatOptions { Temperature = 0.1f, ModelId = "mine" }, Ct);
        Assert.Equal(0.1f, provider.Requests[0]!.Temperature);
        Assert.Equal("mine", provider.Requests[0]!.ModelId);
    }

    [Fact]
    public async Task NamedClient_InheritsTopLevelKeys_AndProviderGetsHttpClientAndKey()
    {
        var (services, provider) = Build(s_seed);
        await using var _ = services;
        services.GetRequiredKeyedService<IChatClient>("welcome");
        var context = Assert.Single(provider.Contexts);
        Assert.Equal("welcome", context.Settings.Name);
        Assert.Equal("recording", context.Settings.Provider);
        Assert.Equal("test-key-123456", context.Settings.ApiKey);
        Assert.Equal(new Uri("http://recording.invalid/"), context.Settings.Endpoint);
        Assert.NotNull(context.HttpClient);
        Assert.DoesNotContain("test-key-123456", context.Settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_SwappedByConfigurationOnly_ChangesTheAdapter()
    {
        var other = new RecordingProvider("other");
        var (services, _) = Build(With(s_seed, ("AI:Provider", "other")), s => s.AddChatProvider(other));
        await using var _ = services;
        var metadata = services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
        Assert.Equal("other", metadata?.ProviderName);
        Assert.Single(other.Contexts);
    }

    [Fact]
    public async Task BuiltInOpenAI_ConfiguredWithEmulator_RepliesOverHttp()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, _) = Build(OpenAIOn(emulator, "gpt-4o-mini", ("AI:SystemPrompt", "Be brief.")));
        await using var _ = services;
        var client = services.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello emulator\".", response.Text, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", response.ModelId);
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.Equal("openai", client.GetService<ChatClientMetadata>()?.ProviderName);
        var request = Assert.Single(emulator.Requests);
        Assert.Contains("Be brief.", request.Body, StringComparison.Ordinal);
        Assert.Equal("Bearer sk-test-emulator-0000000000000000", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task Validate_UnknownProvider_NamesKeyAndListsKnownProviders()
    {
        var (services, _) = Build(With(s_seed, ("AI:Provider", "nope")));
        await using var _ = services;
        var message = ValidationMessage(services);
        Assert.Contains("AI:Provider is 'nope', which is not a known provider.", message, StringComparison.Ordinal);
        Assert.Contains("openai", message, StringComparison.Ordinal);
        Assert.Contains("recording", message, StringComparison.Ordinal);
        Assert.Contains("vllm", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingProvider_NamesKey()
    {
        var (services, _) = Build(With(s_seed, ("AI:Provider", null)));
        await using var _ = services;
        // Both clients inherit the missing shared key: the message is given once.
        var problems = services.GetRequiredService<ConfiguredChatClients>().Validate();
        Assert.Single(problems, p => p.StartsWith("AI:Provider is not set. Set it to one of:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_MissingApiKey_NamesKeyAndEnvironmentVariable()
    {
        var provider = new RecordingProvider { RequiresApiKey = true };
        var (services, _) = Build(With(s_seed, ("AI:ApiKey", null)), s => s.Configure<ConfiguredChatClientsOptions>(o => o.GetEnvironmentVariable = _ => null), provider);
        await using var _ = services;
        Assert.Contains(
            "AI:ApiKey is not set and the environment variable RECORDING_API_KEY is empty: the 'recording' provider needs an API key.",
            ValidationMessage(services),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_FromEnvironmentVariable_WhenNotConfigured()
    {
        var provider = new RecordingProvider { RequiresApiKey = true };
        var (services, _) = Build(
            With(s_seed, ("AI:ApiKey", null)),
            s => s.Configure<ConfiguredChatClientsOptions>(o => o.GetEnvironmentVariable = name => name == "RECORDING_API_KEY" ? "from-env-123456" : null),
            provider);
        await using var _ = services;
        Assert.Empty(services.GetRequiredService<ConfiguredChatClients>().Validate());
        services.GetRequiredService<IChatClient>();
        Assert.Equal("from-env-123456", provider.Contexts[0].Settings.ApiKey);
    }

    [Fact]
    public async Task Validate_MalformedEndpoint_NamesKey()
    {
        var (services, _) = Build(With(s_seed, ("AI:Clients:welcome:Endpoint", "not a url")));
        await using var _ = services;
        Assert.Contains("AI:Clients:welcome:Endpoint is 'not a url', which is not an absolute http or https URL.", ValidationMessage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadNumbers_NameKeys()
    {
        var (services, _) = Build(With(s_seed, ("AI:Clients:welcome:Temperature", "hot"), ("AI:Clients:default:MaxOutputTokens", "-1")));
        await using var _ = services;
        var message = ValidationMessage(services);
        Assert.Contains("AI:Clients:welcome:Temperature is 'hot'", message, StringComparison.Ordinal);
        Assert.Contains("AI:Clients:default:MaxOutputTokens is '-1'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetClient_UnknownName_ListsConfiguredClients()
    {
        var (services, _) = Build(s_seed);
        await using var _ = services;
        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ConfiguredChatClients>().GetClient("missing"));
        Assert.Contains("No chat client named 'missing' is configured. Configured clients: default, welcome", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FallbackToUnknownClient_ListsConfiguredClients()
    {
        var (services, _) = Build(With(s_seed, ("AI:Clients:default:Pipeline:Fallback:Clients:0", "backup")));
        await using var _ = services;
        Assert.Contains("AI:Clients:default:Pipeline:Fallback:Clients names 'backup', which is not a configured client. Configured clients: default, welcome.", ValidationMessage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_InvalidConfiguration_ThrowsOptionsValidationException()
    {
        var (services, _) = Build(With(s_seed, ("AI:Clients:welcome:Endpoint", "ftp://x")));
        await using var _ = services;
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IChatClient>("welcome"));
        Assert.Contains("AI:Clients:welcome:Endpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupValidation_InvalidConfiguration_FailsAtStart()
    {
        var (services, _) = Build(With(s_seed, ("AI:Provider", "nope")));
        await using var _ = services;
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () => await services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(TestContext.Current.CancellationToken));
        Assert.Contains("not a known provider", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_FunctionInvocationAndLogging_OnByDefault_SwitchableOff()
    {
        var (services, _) = Build(With(s_seed, ("AI:Clients:welcome:Pipeline:FunctionInvocation:Enabled", "false")));
        await using var _ = services;
        Assert.NotNull(services.GetRequiredKeyedService<IChatClient>("default").GetService<FunctionInvokingChatClient>());
        Assert.NotNull(services.GetRequiredKeyedService<IChatClient>("default").GetService<OpenTelemetryChatClient>());
        Assert.Null(services.GetRequiredKeyedService<IChatClient>("welcome").GetService<FunctionInvokingChatClient>());
        Assert.Null(services.GetRequiredKeyedService<IChatClient>("default").GetService<DistributedCachingChatClient>());
    }

    [Fact]
    public async Task Pipeline_CacheWithoutDistributedCache_RunsInMemory_MarksHitsFree_AndUsesARegisteredCache()
    {
        var values = With(s_seed, ("AI:Pipeline:Cache:Enabled", "true"));
        var (without, inMemory) = Build(values);
        await using (without)
        {
            Assert.Equal(string.Empty, ValidationMessage(without));
            var client = without.GetRequiredService<IChatClient>();
            var first = await client.GetResponseAsync("same", cancellationToken: Ct);
            var hit = await client.GetResponseAsync("same", cancellationToken: Ct);
            Assert.Single(inMemory.Requests);
            Assert.Equal(first.Text, hit.Text);
            Assert.Equal(true, hit.AdditionalProperties?["llmadapters.cache.hit"]);
            Assert.Equal(0m, hit.GetCost()?.Total);
        }

        var (with, provider) = Build(values, s => s.AddDistributedMemoryCache());
        await using (with)
        {
            var client = with.GetRequiredService<IChatClient>();
            Assert.NotNull(client.GetService<DistributedCachingChatClient>());
            await client.GetResponseAsync("same", cancellationToken: Ct);
            await client.GetResponseAsync("same", cancellationToken: Ct);
            Assert.Single(provider.Requests);
        }
    }

    [Fact]
    public async Task Pipeline_CacheLifetimeNotADuration_NamesKey()
    {
        var (services, _) = Build(With(s_seed, ("AI:Pipeline:Cache:Enabled", "true"), ("AI:Pipeline:Cache:Lifetime", "soon")));
        await using var _ = services;
        Assert.Contains("AI:Pipeline:Cache:Lifetime", ValidationMessage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_BadEnabledFlag_NamesKey()
    {
        var (services, _) = Build(With(s_seed, ("AI:Pipeline:Logging:Enabled", "maybe")));
        await using var _ = services;
        Assert.Contains("AI:Pipeline:Logging:Enabled is 'maybe', which is neither true nor false.", ValidationMessage(services), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureClient_AddsMiddlewareAroundTheConfiguredPipeline()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(s_seed).Build();
        var services = new ServiceCollection();
        services.AddChatProvider(new RecordingProvider());
        var seen = new List<string>();
        services.AddConfiguredChatClients(configuration.GetSection("AI"), (name, builder) => builder.Use((messages, options, next, ct) =>
        {
            seen.Add(name);
            return next(messages, options, ct);
        }));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredKeyedService<IChatClient>("welcome").GetResponseAsync("hi", cancellationToken: Ct);
        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);
        Assert.Equal(["welcome", "default"], seen);
    }

    [Fact]
    public async Task CreateProviderClient_ReturnsBareAdapter()
    {
        var (services, _) = Build(s_seed);
        await using var _ = services;
        using var raw = services.GetRequiredService<ConfiguredChatClients>().CreateProviderClient("welcome");
        Assert.Null(raw.GetService<FunctionInvokingChatClient>());
        Assert.Equal("model-welcome", raw.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public void AddConfiguredChatClients_Twice_Throws()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(s_seed).Build();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        Assert.Throws<InvalidOperationException>(() => services.AddConfiguredChatClients(configuration.GetSection("AI")));
    }

    [Fact]
    public async Task ClientList_OverridesSharedListInsteadOfMerging()
    {
        var (services, provider) = Build(With(
            s_seed,
            ("AI:Pipeline:ApiKeys:0", "shared-key-0000001"),
            ("AI:Pipeline:ApiKeys:1", "shared-key-0000002"),
            ("AI:Clients:welcome:Pipeline:ApiKeys:0", "own-key-00000001")));
        await using var _ = services;
        var settings = services.GetRequiredService<ConfiguredChatClients>().GetSettings("welcome");
        Assert.Equal(["own-key-00000001"], settings.ApiKeys);
        Assert.Equal(2, services.GetRequiredService<ConfiguredChatClients>().GetSettings("default").ApiKeys.Count);
        Assert.Empty(provider.Contexts);
    }

    [Fact]
    public async Task BuiltInAnthropic_SwappedByProviderKeyOnly_RepliesOverHttpWithItsDefaults()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, _) = Build(new()
        {
            ["AI:Provider"] = "anthropic",
            ["AI:Endpoint"] = emulator.AnthropicEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-ant-api03-test-000000000000000000",
            ["AI:AnthropicVersion"] = "2023-06-01",
            ["AI:AnthropicBetas"] = "beta-one,beta-two",
            ["AI:MaxOutputTokens"] = "64",
            ["AI:SystemPrompt"] = "Be brief.",
        });
        await using var _ = services;
        var client = services.GetRequiredService<IChatClient>();
        var response = await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello emulator\".", response.Text, StringComparison.Ordinal);
        Assert.Equal("anthropic", client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Equal("claude-haiku-4-5", response.ModelId);
        Assert.NotNull(response.GetCost());
        var request = Assert.Single(emulator.Requests);
        Assert.Equal("sk-ant-api03-test-000000000000000000", request.Headers["x-api-key"]);
        Assert.Equal("beta-one,beta-two", request.Headers["anthropic-beta"]);
        Assert.Contains("\"max_tokens\":64", request.Body, StringComparison.Ordinal);
        Assert.Contains("Be brief.", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostLedger_SharedService_RecordsEveryConfiguredClient()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, _) = Build(OpenAIOn(emulator, "gpt-4o-mini", ("AI:Clients:welcome:MaxOutputTokens", "20")));
        await using var _ = services;
        await services.GetRequiredService<IChatClient>().GetResponseAsync("one", cancellationToken: Ct);
        await services.GetRequiredKeyedService<IChatClient>("welcome").GetResponseAsync("two", cancellationToken: Ct);

        var ledger = services.GetRequiredService<ICostLedger>();
        Assert.Equal(1, ledger.GetTotal(clientName: "default").Calls);
        Assert.Equal(1, ledger.GetTotal(clientName: "welcome").Calls);
        Assert.True(ledger.GetTotal().Total > 0m);
    }

    [Fact]
    public async Task Budget_DailyLimitFromConfiguration_RejectsWhenExhausted()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        var (services, _) = Build(OpenAIOn(emulator, "gpt-4o", ("AI:MaxOutputTokens", "1000"), ("AI:Pipeline:Budget:Daily", "0.000001")));
        await using var _ = services;
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct));
        Assert.Contains("$0.000001", ex.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.Requests);
    }

    [Fact]
    public async Task Validate_FallbackCycle_IsRejectedBeforeAnyClientIsBuilt()
    {
        var (services, provider) = Build(With(
            s_seed,
            ("AI:Clients:default:Pipeline:Fallback:Clients:0", "welcome"),
            ("AI:Clients:welcome:Pipeline:Fallback:Clients:0", "default")));
        await using var _ = services;
        Assert.Contains(
            "AI:Clients:default:Pipeline:Fallback:Clients leads back to 'default' (default -> welcome -> default)",
            ValidationMessage(services),
            StringComparison.Ordinal);
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatClient>());
        Assert.Contains("leads back to 'default'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Contexts);
    }

    [Fact]
    public async Task ApiKeys_OnlyNumberedItemsAreKeys_NotTheStageSettingsBesideThem()
    {
        var (services, _) = Build(With(
            s_seed,
            ("AI:Pipeline:ApiKeys:0", "first-key-0000001"),
            ("AI:Pipeline:ApiKeys:1", "second-key-000002"),
            ("AI:Pipeline:ApiKeys:Strategy", "LeastInFlight")));
        await using var _ = services;
        Assert.Equal(["first-key-0000001", "second-key-000002"], services.GetRequiredService<ConfiguredChatClients>().GetSettings("default").ApiKeys);
    }

    [Fact]
    public async Task Validate_UnknownPipelineStage_NamesItAndListsTheStages()
    {
        var (services, _) = Build(With(s_seed, ("AI:Pipeline:Retyr:MaxAttempts", "5")));
        await using var _ = services;
        var message = ValidationMessage(services);
        Assert.Contains("AI:Pipeline:Retyr is not a pipeline stage. Known stages: ApiKeys, Budget, Cache,", message, StringComparison.Ordinal);
        Assert.Contains("Retry", message, StringComparison.Ordinal);
    }
}
