// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmAdapters.Hosting.Tests.Health;

/// <summary>
/// <c>AddChatClientsHealthChecks()</c>: one check per configured client, against the emulator's model-list endpoints
/// (OpenAI <c>GET /v1/models</c>, Anthropic <c>GET /v1/models</c>, Ollama <c>GET /api/tags</c>) over real HTTP.
/// </summary>
public sealed class ChatClientsHealthChecksTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<HealthReport> CheckAsync(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("AI"));
        services.AddHealthChecks().AddChatClientsHealthChecks(timeout: TimeSpan.FromSeconds(20));
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
    }

    [Fact]
    public async Task EveryClient_IsCheckedAgainstItsProvidersCheapestEndpoint()
    {
        var report = await CheckAsync(new()
        {
            ["AI:Clients:gpt:Provider"] = "openai",
            ["AI:Clients:gpt:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
            ["AI:Clients:gpt:ApiKey"] = "sk-test",
            ["AI:Clients:claude:Provider"] = "anthropic",
            ["AI:Clients:claude:Endpoint"] = _emulator.AnthropicEndpoint.ToString(),
            ["AI:Clients:claude:ApiKey"] = "sk-ant-test",
            ["AI:Clients:local:Provider"] = "ollama",
            ["AI:Clients:local:Endpoint"] = _emulator.OllamaEndpoint.ToString(),
            ["AI:Clients:local:Model"] = "llama3.2",
        });

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["chat:claude", "chat:gpt", "chat:local"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Uri(_emulator.OpenAIEndpoint + "/models").ToString(), report.Entries["chat:gpt"].Data["probe"]);
        Assert.Equal(new Uri(_emulator.BaseAddress, "v1/models").ToString(), report.Entries["chat:claude"].Data["probe"]);
        Assert.Equal(new Uri(_emulator.BaseAddress, "api/tags").ToString(), report.Entries["chat:local"].Data["probe"]);
        Assert.All(report.Entries.Values, e => Assert.Contains(ChatClientsHealthChecksBuilderExtensions.Tag, e.Tags));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task RefusedKey_IsUnhealthy_AndTheKeyIsNeverShown(string provider)
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = (provider == "openai" ? _emulator.OpenAIEndpoint : _emulator.AnthropicEndpoint).ToString(),
            ["AI:ApiKey"] = "invalid-sk-secret-0123456789",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal($"{provider} refused the API key (401).", entry.Description);
        Assert.Equal(401, entry.Data["httpStatus"]);
        Assert.DoesNotContain(entry.Data.Values, v => v.ToString()!.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OllamaModelNotPulled_IsDegraded()
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = "ollama",
            ["AI:Endpoint"] = _emulator.OllamaEndpoint.ToString(),
            ["AI:Model"] = "mistral",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("has not pulled 'mistral'", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_IsUnhealthy_WithTheValidationMessage()
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-test",
            ["AI:Temperature"] = "hot",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("The configuration is not valid: AI:Temperature", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableProvider_IsUnhealthy()
    {
        // A port nothing listens on: the emulator's, after it stopped.
        var endpoint = _emulator.OpenAIEndpoint;
        await _emulator.DisposeAsync();
        _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);

        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = endpoint.ToString(),
            ["AI:ApiKey"] = "sk-test",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("cannot be reached", entry.Description, StringComparison.Ordinal);
    }

    // Issue 20: each descriptor owns its probe. Gemini's model list takes the key in x-goog-api-key (a Bearer key at
    // {endpoint}/models is answered by neither Gemini nor DashScope: both were always Degraded).
    [Theory]
    [InlineData("gemini", "v1beta/models?pageSize=1")]
    [InlineData("dashscope-native", "compatible-mode/v1/models")]
    public async Task ProviderOwnProbe_IsHealthy(string provider, string probe)
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = _emulator.BaseAddress.ToString(),
            ["AI:ApiKey"] = "test-key-0000000000",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(new Uri(_emulator.BaseAddress, probe).ToString(), entry.Data["probe"]);
    }

    // Issue 20: Gemini's probe asks the model list of the configured API version, at the path the client calls (an
    // endpoint that already ends in the version keeps it once); it always asked v1beta.
    [Theory]
    [InlineData("v1", "", "v1/models?pageSize=1")]
    [InlineData("v1", "v1", "v1/models?pageSize=1")]
    [InlineData("/v1beta/", "", "v1beta/models?pageSize=1")]
    [InlineData(null, "v1beta", "v1beta/models?pageSize=1")]
    public async Task GeminiProbe_HonoursGeminiApiVersion(string? version, string endpointPath, string probe)
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = "gemini",
            ["AI:Endpoint"] = new Uri(_emulator.BaseAddress, endpointPath).ToString(),
            ["AI:ApiKey"] = "test-key-0000000000",
            ["AI:GeminiApiVersion"] = version,
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(new Uri(_emulator.BaseAddress, probe).ToString(), entry.Data["probe"]);
    }

    [Theory]
    [InlineData("gemini", 400)]
    [InlineData("dashscope-native", 401)]
    public async Task ProviderOwnProbe_RefusedKey_IsUnhealthy_AndTheKeyIsNeverShown(string provider, int status)
    {
        var report = await CheckAsync(new()
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = _emulator.BaseAddress.ToString(),
            ["AI:ApiKey"] = "invalid-sk-secret-0123456789",
        });

        var entry = report.Entries["chat:default"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal($"{provider} refused the API key ({status}).", entry.Description);
        Assert.DoesNotContain(entry.Data.Values, v => v.ToString()!.Contains("secret", StringComparison.Ordinal));
    }
}
