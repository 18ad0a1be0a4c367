// Licensed under the MIT License.

using System.Text;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmAdapters.Emulator.Tests;

/// <summary>
/// <c>AddChatProviderEmulator()</c> in an application that references the Emulator package, Hosting and one adapter
/// (Anthropic), not the LlmAdapters meta-package: <c>AI:Provider=emulator</c> answers through the configured pipeline.
/// </summary>
public sealed class EmulatorChatProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_ProviderEmulator_StartsWithTheHost_AnswersThroughTheOnlyAdapter_StreamingAndNot_StopsWithTheHost()
    {
        using var host = BuildHost(new() { ["AI:Provider"] = "emulator" });
        var emulator = host.Services.GetRequiredService<EmulatorChatProvider>();
        Assert.Null(emulator.Server);

        await host.StartAsync(Ct);
        var server = Assert.IsType<EmulatorServer>(emulator.Server);
        Assert.StartsWith("http://127.0.0.1:", server.BaseAddress.ToString(), StringComparison.Ordinal);

        var chat = host.Services.GetRequiredService<IChatClient>();
        var response = await chat.GetResponseAsync("Hello", cancellationToken: Ct);
        var streamed = new StringBuilder();
        var updates = 0;
        await foreach (var update in chat.GetStreamingResponseAsync("Hello", cancellationToken: Ct))
        {
            streamed.Append(update.Text);
            updates++;
        }

        Assert.StartsWith("You said \"Hello\".", response.Text, StringComparison.Ordinal);
        Assert.Equal(response.Text, streamed.ToString());
        Assert.True(updates > 2, $"{updates} updates: the reply was not streamed.");
        Assert.Equal(2, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("anthropic", r.Dialect));

        var address = server.BaseAddress;
        await host.StopAsync(Ct);

        Assert.Null(emulator.Server);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(address, "v1/models"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => emulator.EnsureStartedAsync(Ct));
    }

    [Fact]
    public async Task Host_NoClientOnTheEmulator_DoesNotStartIt()
    {
        using var host = BuildHost(new() { ["AI:Provider"] = "anthropic", ["AI:ApiKey"] = "sk-ant-test" });

        await host.StartAsync(Ct);

        Assert.Null(host.Services.GetRequiredService<EmulatorChatProvider>().Server);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Host_OneNamedClientOnTheEmulator_StartsIt()
    {
        using var host = BuildHost(new()
        {
            ["AI:Provider"] = "anthropic",
            ["AI:ApiKey"] = "sk-ant-test",
            ["AI:Clients:default:MaxOutputTokens"] = "100",
            ["AI:Clients:offline:Provider"] = "emulator",
        });

        await host.StartAsync(Ct);
        var response = await host.Services.GetRequiredKeyedService<IChatClient>("offline").GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hi\".", response.Text, StringComparison.Ordinal);
        Assert.NotNull(host.Services.GetRequiredService<EmulatorChatProvider>().Server);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task NoHost_FirstCallStartsTheEmulator_DisposingTheServicesStopsIt()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(Configuration(new() { ["AI:Provider"] = "emulator" }).GetSection("AI"));
        services.AddAnthropicChatProvider();
        services.AddChatProviderEmulator();
        EmulatorChatProvider emulator;
        await using (var provider = services.BuildServiceProvider())
        {
            emulator = provider.GetRequiredService<EmulatorChatProvider>();
            var chat = provider.GetRequiredService<IChatClient>();
            Assert.Null(emulator.Server);

            var response = await chat.GetResponseAsync("Hello", cancellationToken: Ct);

            Assert.StartsWith("You said \"Hello\".", response.Text, StringComparison.Ordinal);
            Assert.NotNull(emulator.Server);
        }

        Assert.Null(emulator.Server);
    }

    [Fact]
    public void Dialect_Unknown_IsAConfigurationErrorNamingTheKey()
    {
        using var host = BuildHost(new() { ["AI:Provider"] = "emulator", ["AI:Dialect"] = "cohere" });

        var problems = host.Services.GetRequiredService<ConfiguredChatClients>().Validate("default");

        Assert.Contains(problems, p => p.StartsWith("AI:Dialect: 'cohere' is not a dialect of the emulator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dialect_NotRegistered_FailsWithTheKeyAndTheCall()
    {
        using var host = BuildHost(new() { ["AI:Provider"] = "emulator", ["AI:Dialect"] = "gemini" });
        await host.StartAsync(Ct);

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IChatClient>());

        Assert.Contains("'gemini' dialect (Dialect), whose provider is not registered", error.Message, StringComparison.Ordinal);
        await host.StopAsync(Ct);
    }

    [Fact]
    public void AddChatProviderEmulator_Twice_RegistersOneProvider()
    {
        var services = new ServiceCollection();

        services.AddChatProviderEmulator().AddChatProviderEmulator();

        Assert.Single(services, d => d.ServiceType == typeof(EmulatorChatProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    private static IHost BuildHost(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
        builder.Services.AddAnthropicChatProvider();
        builder.Services.AddChatProviderEmulator();
        return builder.Build();
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
