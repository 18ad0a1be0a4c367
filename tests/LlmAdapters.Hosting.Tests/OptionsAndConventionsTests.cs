// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting.Tests;

/// <summary>
/// The .NET conventions of configured clients: the <c>IHostApplicationBuilder</c> overload, Aspire-style connection
/// strings, the unkeyed <see cref="IChatClient"/> beside M.E.AI's own <c>AddChatClient</c>, and the provider/model
/// mismatch warning.
/// </summary>
public sealed class OptionsAndConventionsTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task HostApplicationBuilder_ReadsTheSection_AndAConnectionStringTakesPrecedence()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = "https://example.invalid/v1",
            ["AI:ApiKey"] = "sk-from-section",
            ["AI:Clients:welcome:MaxOutputTokens"] = "120",
            ["ConnectionStrings:welcome"] = $"Endpoint={_emulator.OpenAIEndpoint};Key=sk-from-connection-string;Model=gpt-4.1-mini",
        });

        builder.AddConfiguredChatClients();
        using var host = builder.Build();
        var clients = host.Services.GetRequiredService<ConfiguredChatClients>();

        var settings = clients.GetSettings("welcome");
        Assert.Equal(_emulator.OpenAIEndpoint, settings.Endpoint);
        Assert.Equal("sk-from-connection-string", settings.ApiKey);
        Assert.Equal("gpt-4.1-mini", settings.Model);
        Assert.Equal(new Uri("https://example.invalid/v1"), clients.GetSettings("default").Endpoint);

        var reply = await host.Services.GetRequiredKeyedService<IChatClient>("welcome").GetResponseAsync("Hello", cancellationToken: Ct);
        Assert.Equal("gpt-4.1-mini", reply.ModelId);
        Assert.Equal("Bearer sk-from-connection-string", _emulator.Requests[^1].Headers["Authorization"]);
    }

    [Fact]
    public void ConnectionString_UnknownKey_IsAValidationErrorThatNamesIt_WithoutTheValues()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = "sk-test",
            ["ConnectionStrings:default"] = "Endpoint=https://api.example.com/v1;Secret=hunter2",
        }).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        using var provider = services.BuildServiceProvider();

        var problem = Assert.Single(provider.GetRequiredService<ConfiguredChatClients>().Validate());
        Assert.StartsWith("ConnectionStrings:default has the key 'secret'", problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnkeyedClient_IsTheFirstConfiguredClient_RegisteredThroughAddChatClient()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section());
        using var provider = services.BuildServiceProvider();

        var metadata = provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
        Assert.Equal("openai", metadata?.ProviderName);
        Assert.Single(services, d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService);
    }

    [Fact]
    public void AddChatClientBefore_KeepsTheApplicationsUnkeyedClient_ConfiguredOnesStayKeyed()
    {
        var mine = new TestUtilities.TestChatClient();
        var services = new ServiceCollection();
        services.AddChatClient(mine);
        services.AddConfiguredChatClients(Section());
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IChatClient>().GetService<TestUtilities.TestChatClient>());
        Assert.Equal("openai", provider.GetRequiredKeyedService<IChatClient>("default").GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public void AddChatClientAfter_WinsAsTheLastRegistration_ConfiguredOnesStayKeyed()
    {
        var mine = new TestUtilities.TestChatClient();
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section());
        services.AddChatClient(mine);
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IChatClient>().GetService<TestUtilities.TestChatClient>());
        Assert.Equal("openai", provider.GetRequiredService<ConfiguredChatClients>().GetClient("default").GetService<ChatClientMetadata>()?.ProviderName);
    }

    [Fact]
    public void ConfigureClient_ReachesEveryNamedClientsBuilder()
    {
        var services = new ServiceCollection();
        var seen = new List<string>();
        services.AddConfiguredChatClients(Section(("AI:Clients:welcome:MaxOutputTokens", "120")), (name, builder) =>
        {
            seen.Add(name);
            builder.ConfigureOptions(o => o.TopP = 0.5f);
        });

        Assert.Equal(["default", "welcome"], seen);
    }

    [Fact]
    public void ModelOfAnotherProvider_IsAWarningThatNamesBothKeys_LoggedWhenTheClientIsBuilt()
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddFakeLogging());
        services.AddConfiguredChatClients(Section(("AI:Provider", "anthropic"), ("AI:Model", "gpt-4o-mini")));
        using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();

        Assert.Empty(clients.Validate());
        var warning = Assert.Single(clients.GetWarnings());
        Assert.Equal(
            "AI:Model is 'gpt-4o-mini', a model of 'openai' in the price catalog, but AI:Provider is 'anthropic': set the model with the provider (or remove AI:Model to use the default model of 'anthropic').",
            warning);

        _ = clients.GetClient("default");
        var logged = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "ConfigurationWarning");
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal(warning, logged.Message);
    }

    [Fact]
    public void ModelOfTheSameProvider_OrAnUnknownModel_IsNoWarning()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section(("AI:Model", "gpt-4o-mini"), ("AI:Clients:local:Provider", "vllm"), ("AI:Clients:local:Endpoint", "http://localhost:8000/v1"), ("AI:Clients:local:Model", "gpt-4o-mini")));
        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetRequiredService<ConfiguredChatClients>().GetWarnings());
    }

    private IConfigurationSection Section(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = "sk-test",
            ["AI:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI");
    }
}
