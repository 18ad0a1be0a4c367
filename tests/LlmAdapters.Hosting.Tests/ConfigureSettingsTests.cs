// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting.Tests;

/// <summary>
/// Issue #14 item 5: the options pattern's <c>configure</c> delegate over the bound settings, per client. Code changes a
/// client's settings after configuration is read (a key from a vault, a model chosen in code); what it returns is checked
/// as configuration is, and never printed when it is a key.
/// </summary>
public sealed class ConfigureSettingsTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task ConfigureDelegate_ChangesEachClientsSettings_AndTheCallsUseThem()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section(), s => s.Name == "default"
            ? s with { ApiKey = "sk-from-the-vault", Model = "gpt-4.1-mini" }
            : s with { MaxOutputTokens = 77 });
        using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();

        Assert.Empty(clients.Validate());
        Assert.Equal("sk-from-the-vault", clients.GetSettings("default").ApiKey);
        Assert.Equal("gpt-4.1-mini", clients.GetSettings("default").Model);
        Assert.Null(clients.GetSettings("default").MaxOutputTokens);
        Assert.Equal(77, clients.GetSettings("welcome").MaxOutputTokens);
        Assert.Equal("sk-from-config", clients.GetSettings("welcome").ApiKey);

        var reply = await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hello", cancellationToken: Ct);
        Assert.Equal("gpt-4.1-mini", reply.ModelId);
        Assert.Equal("Bearer sk-from-the-vault", _emulator.Requests[^1].Headers["Authorization"]);
    }

    [Fact]
    public void ConfigureChatClientSettings_ByName_AppliesInOrder_BeforeOrAfterTheRegistration()
    {
        var services = new ServiceCollection();
        services.ConfigureChatClientSettings("WELCOME", s => s with { SystemPrompt = "first" });
        services.AddConfiguredChatClients(Section());
        services.ConfigureChatClientSettings("welcome", s => s with { SystemPrompt = s.SystemPrompt + ", then second" });
        services.ConfigureChatClientSettings(null, s => s with { Temperature = 0.5f });
        using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();

        Assert.Equal("first, then second", clients.GetSettings("welcome").SystemPrompt);
        Assert.Null(clients.GetSettings("default").SystemPrompt);
        Assert.Equal(0.5f, clients.GetSettings("default").Temperature);
        Assert.Equal(0.5f, clients.GetSettings("welcome").Temperature);
    }

    [Fact]
    public void HostApplicationBuilder_TakesTheSameDelegateThroughTheOptions()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(Values());
        builder.AddConfiguredChatClients();
        builder.Services.ConfigureChatClientSettings("default", s => s with { Model = "gpt-4.1" });
        using var host = builder.Build();

        Assert.Equal("gpt-4.1", host.Services.GetRequiredService<ConfiguredChatClients>().GetSettings("default").Model);
    }

    [Fact]
    public void WhatTheDelegateReturns_IsCheckedLikeConfiguration_NamingTheClient_NeverTheKey()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section(), s => s.Name == "default"
            ? s with { ApiKey = "sk-line\nbreak-secret", Model = " ", Endpoint = new Uri("ftp://example.com/"), Temperature = 3 }
            : s with { Provider = "anthropic" });
        using var provider = services.BuildServiceProvider();

        var problems = provider.GetRequiredService<ConfiguredChatClients>().Validate();

        Assert.Contains(problems, p => p.Contains("ConfigureSettings delegate of the client 'default' left the client with no Model", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ConfigureSettings delegate of the client 'default' set an Endpoint that is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("The API key set by the ConfigureSettings delegate of the client 'default'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("set Temperature to 3", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ConfigureSettings delegate of the client 'welcome' changed its Name or Provider", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain("secret", p, StringComparison.Ordinal));

        // The host does not start on them (ValidateOnStart).
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ConfiguredChatClientsValidation>>().Value);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADelegateThatRemovesARequiredKey_IsAValidationError()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Section(), s => s with { ApiKey = null });
        using var provider = services.BuildServiceProvider();

        var problems = provider.GetRequiredService<ConfiguredChatClients>().Validate();

        Assert.Contains(problems, p => p.Contains("left the client with no ApiKey: the 'openai' provider needs an API key", StringComparison.Ordinal));
    }

    private Dictionary<string, string?> Values() => new()
    {
        ["AI:Provider"] = "openai",
        ["AI:Model"] = "gpt-4o-mini",
        ["AI:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
        ["AI:ApiKey"] = "sk-from-config",
        ["AI:Clients:welcome:SystemPrompt"] = "configured",
    };

    private IConfigurationSection Section() => new ConfigurationBuilder().AddInMemoryCollection(Values()).Build().GetSection("AI");
}
