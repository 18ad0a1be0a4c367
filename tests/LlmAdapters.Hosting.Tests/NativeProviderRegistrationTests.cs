// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests;

/// <summary>The native providers registered by name (<c>ollama</c>, <c>dashscope-native</c>), and the renamed <c>ollama-openai</c>.</summary>
public sealed class NativeProviderRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.Configure<ConfiguredChatClientsOptions>(o => o.GetEnvironmentVariable = _ => null);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Ollama_IsTheNativeApi_NeedsNoKey_AndPassesKeepAliveAndContextLength()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(new()
        {
            ["AI:Provider"] = "ollama",
            ["AI:Endpoint"] = emulator.OllamaEndpoint.ToString(),
            ["AI:Model"] = "llama3.2",
            ["AI:KeepAlive"] = "10m",
            ["AI:ContextLength"] = "8192",
        });
        var client = services.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello emulator\".", response.Text, StringComparison.Ordinal);
        Assert.Equal("ollama", client.GetService<ChatClientMetadata>()?.ProviderName);
        var request = Assert.Single(emulator.Requests);
        Assert.Equal("/api/chat", request.Path);
        Assert.Contains("\"keep_alive\":\"10m\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"num_ctx\":8192", request.Body, StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(0m, response.GetCost()?.Total);
    }

    [Fact]
    public async Task OllamaOpenAI_IsTheRenamedCompatiblePreset()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(new()
        {
            ["AI:Provider"] = "ollama-openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:Model"] = "llama3.2",
        });
        var client = services.GetRequiredService<IChatClient>();

        await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);

        Assert.Equal("ollama-openai", client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Equal("/v1/chat/completions", Assert.Single(emulator.Requests).Path);
    }

    [Fact]
    public void Ollama_WithTheOldOpenAIEndpoint_SaysToUseOllamaOpenAI()
    {
        using var services = Build(new()
        {
            ["AI:Provider"] = "ollama",
            ["AI:Endpoint"] = "http://localhost:11434/v1",
            ["AI:Model"] = "llama3.2",
        });

        var ex = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("ollama-openai", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashScopeNative_SwappedByProviderKeyOnly_UsesQwenPlusAndIsPriced()
    {
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(new()
        {
            ["AI:Provider"] = "dashscope-native",
            ["AI:Endpoint"] = emulator.DashScopeEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-dashscope-test-000000000000",
        });
        var client = services.GetRequiredService<IChatClient>();

        var response = await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);

        Assert.StartsWith("You said \"Hello emulator\".", response.Text, StringComparison.Ordinal);
        Assert.Equal("dashscope-native", client.GetService<ChatClientMetadata>()?.ProviderName);
        Assert.Equal("qwen-plus", response.ModelId);
        Assert.True(response.GetCost()?.Total > 0);
        var request = Assert.Single(emulator.Requests);
        Assert.Equal("/api/v1/services/aigc/text-generation/generation", request.Path);
        Assert.Equal("Bearer sk-dashscope-test-000000000000", request.Headers["Authorization"]);
    }
}
