// Licensed under the MIT License.

using LlmAdapters.Anthropic;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests;

/// <summary>
/// The package graph (issue 25): each package registers its own providers and stages, order-free and idempotent; an
/// application's provider wins over a package's; the meta-package makes <c>AddConfiguredChatClients</c> register them all;
/// the cache key leaves out what the stages declare; the host knows other packages only through contracts.
/// </summary>
public sealed class PackageRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build().GetSection("AI");

    [Fact]
    public void MetaPackage_Referenced_AddConfiguredChatClientsRegistersEveryProviderAndStage()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section(("AI:Provider", "ollama"), ("AI:Model", "m")));
        using var provider = services.BuildServiceProvider();

        var names = provider.GetRequiredService<ConfiguredChatClients>().ProviderNames;
        foreach (var expected in new[] { "openai", "vllm", "dashscope", "ollama-openai", "groq", "together", "lmstudio", "deepseek", "anthropic", "gemini", "ollama", "dashscope-native" })
        {
            Assert.Contains(expected, names);
        }

        var stages = provider.GetServices<IChatPipelineStage>().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "Defaults", "Logging", "OpenTelemetry", "Cache", "FunctionInvocation", "CostAccounting", "Budget", "Timeout", "Fallback", "Retry", "RateLimit", "ApiKeys" }, stages);
        Assert.NotNull(provider.GetService<ICostLedger>());
        Assert.NotNull(provider.GetService<ITokenEstimator>());
    }

    [Fact]
    public void Hosting_ReferencesOnlyTheAbstractions_NoProviderNoMiddlewareNoHeavyDependency()
    {
        // Issue 25, item 1: Hosting.csproj references Hosting.Abstractions and Core only; the tool loop reaches Cost through
        // IToolRunAccountingFactory. An assembly reference would bring the package (and what it brings) to every app.
        var references = typeof(ConfiguredChatClients).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal(["LlmAdapters.Core", "LlmAdapters.Hosting.Abstractions"], references.Where(n => n.StartsWith("LlmAdapters", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(references, n => n.StartsWith("OpenAI", StringComparison.Ordinal) || n.StartsWith("StackExchange", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.ML", StringComparison.Ordinal) || n.StartsWith("Polly", StringComparison.Ordinal));
    }

    [Fact]
    public void PackageCalls_Repeated_RegisterOnce()
    {
        var services = new ServiceCollection();
        services.AddAnthropicChatProvider().AddAnthropicChatProvider().AddOpenAIChatProviders().AddOpenAIChatProviders();
        services.AddResilienceChatPipelineStages().AddResilienceChatPipelineStages().AddLlmAdapters();

        var providers = services.Where(d => d.ServiceType == typeof(IChatProviderFactory)).Select(d => ((IChatProviderFactory)d.ImplementationInstance!).Name).ToList();
        Assert.Single(providers, n => n == "anthropic");
        Assert.Single(providers, n => n == "openai");
        Assert.Single(services, d => d.ServiceType == typeof(IChatPipelineStage) && d.ImplementationInstance is IChatPipelineStage { Name: "Retry" });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ApplicationProvider_OfAPackageName_WinsWhateverTheOrder(bool applicationFirst)
    {
        var mine = new RecordingProvider(AnthropicChatProviderFactory.ProviderName);
        var services = new ServiceCollection();
        if (applicationFirst)
        {
            services.AddChatProvider(mine).AddAnthropicChatProvider();
        }
        else
        {
            services.AddAnthropicChatProvider().AddChatProvider(mine);
        }

        services.AddConfiguredChatClients(Section(("AI:Provider", "anthropic"), ("AI:Model", "m"), ("AI:ApiKey", "sk-ant-test")));
        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("ok", response.Text);
        Assert.Single(mine.Contexts);
    }

    [Fact]
    public void PackageProvider_KeepsEveryMemberOfItsDescriptor()
    {
        var services = new ServiceCollection().AddGeminiChatProvider();
        var registered = (IChatProviderFactory)services.Single(d => d.ServiceType == typeof(IChatProviderFactory)).ImplementationInstance!;

        Assert.Equal(["GEMINI_API_KEY", "GOOGLE_API_KEY"], registered.ApiKeyEnvironmentVariables);
        Assert.Equal("gemini-2.5-flash", registered.DefaultModel);
        Assert.Contains("GeminiApiVersion", registered.ConfigurationKeys);
        Assert.Contains("MaxResponseBytes", registered.ConfigurationKeys);
    }

    [Fact]
    public void SectionRegistration_BeforeOrAfterAddConfiguredChatClients_GetsTheClientsSection()
    {
        var seen = new List<string>();
        var services = new ServiceCollection();
        services.AddChatClientsSectionRegistration((_, section) => seen.Add("before:" + section.Path));
        services.AddConfiguredChatClients(Section(("AI:Provider", "ollama"), ("AI:Model", "m")));
        services.AddChatClientsSectionRegistration((_, section) => seen.Add("after:" + section.Path));

        Assert.Equal(["before:AI", "after:AI"], seen);
    }

    [Fact]
    public async Task Cache_KeyOfAStageDeclaredLater_IsLeftOutOfTheCacheKey_TheTenantIsNot()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var services = new ServiceCollection();
        services.AddChatPipelineStage(new MarkerStage());
        services.AddConfiguredChatClients(Section(
            ("AI:Provider", "openai"), ("AI:Endpoint", emulator.OpenAIEndpoint.ToString()), ("AI:ApiKey", "sk-test-emulator-0000000000000000"),
            ("AI:Model", "gpt-4o-mini"), ("AI:Pipeline:Cache:Enabled", "true")));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        emulator.EnqueueReply(new EmulatorReply { Text = "first" });
        Assert.Equal("first", (await client.GetResponseAsync("q", cancellationToken: Ct)).Text);

        // A key only the third-party stage declares changes how, not what: the same cache entry.
        var marked = new ChatOptions { AdditionalProperties = new() { [MarkerStage.Key] = "x" } };
        var hit = await client.GetResponseAsync("q", marked, Ct);
        Assert.Equal("first", hit.Text);
        Assert.Equal(true, hit.AdditionalProperties?[ConfiguredCachingChatClient.CacheHitKey]);
        Assert.True(hit.GetCost()?.IsCached);   // the Cost package's rule: a hit costs nothing
        Assert.Equal(1, emulator.RequestCount);

        // The tenant is part of the answer (the Cost stages say so): another entry.
        emulator.EnqueueReply(new EmulatorReply { Text = "tenant" });
        Assert.Equal("tenant", (await client.GetResponseAsync("q", new ChatOptions().WithTenant("acme"), Ct)).Text);
        Assert.Equal(2, emulator.RequestCount);
    }

    [Fact]
    public void Outcome_OfAClassifiedFailure_IsItsOwnKindAndLevel()
    {
        var (outcome, kind, level, withException) = CallOutcomeChatClient.Classify(new BudgetExceededException(), CancellationToken.None);

        Assert.Equal("failure", outcome);
        Assert.Equal("BudgetExceeded", kind);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, level);
        Assert.False(withException);
    }

    private sealed class MarkerStage : ChatPipelineStage<bool>
    {
        public const string Key = "llmadapters.marker";

        public override string Name => "Marker";

        public override int Order => ChatPipelineOrder.ApiKeys + 10;

        public override IReadOnlyCollection<string> CallOverrideKeys => [Key];

        public override bool IsEnabled(ChatPipelineContext context) => true;

        public override bool Read(ChatPipelineContext context, List<string> errors) => true;

        public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, bool options) => innerClient;
    }
}
