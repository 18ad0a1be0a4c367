// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting.Tests.Issues;

/// <summary>
/// Issue 25, item 4: each client is resolved once. One plan per client name, its section flattened once, is what start-up
/// validation, the pipeline, the inner stack (fallback targets included), the warnings and the health check read (the
/// section was flattened 4 times while validating and 4 more at first use); the rotation-key and fallback-target checks are
/// their stages' own, with the same messages naming the key.
/// </summary>
public sealed class IssuesTests_ResolvedOnce_25 : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task EachClient_FlattenedOnce_OnePlan_ForValidationPipelineInnerStackWarningsAndHealth()
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:ApiKey"] = "test-key-0000000000",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
            ["AI:Pipeline:ApiKeys:0"] = "first-key-000000000",
            ["AI:Pipeline:ApiKeys:1"] = "second-key-00000000",
            ["AI:Clients:default:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:backup:Model"] = "gpt-4o",
            ["AI:Clients:third:Model"] = "gpt-4.1-mini",
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        services.AddHealthChecks().AddChatClientsHealthChecks(timeout: TimeSpan.FromSeconds(20));
        await using var provider = services.BuildServiceProvider();
        var clients = provider.GetRequiredService<ConfiguredChatClients>();

        // Start-up validation (ValidateOnStart's validator), then every other reader, then a call through each client.
        _ = provider.GetRequiredService<IOptions<ConfiguredChatClientsValidation>>().Value;
        Assert.Empty(clients.Validate());
        Assert.Equal(3, clients.ConfigurationFlattenings);
        foreach (var name in clients.Names)
        {
            _ = clients.GetSettings(name);
            _ = clients.GetWarnings(name);
            using var adapter = clients.CreateProviderClient(name);
            var response = await clients.GetClient(name).GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotEmpty(response.Text);
        }

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Status);

        // default, backup, third: each flattened once, each planned once (it was 8 flattenings per client).
        Assert.Equal(3, clients.ConfigurationFlattenings);
        Assert.Equal(3, clients.PlanCount);
    }

    // The checks moved into the ApiKeys and Fallback stages (Resilience) keep their messages, each naming its key.
    [Fact]
    public void RotationKey_AndFallbackTargets_CheckedByTheirStages_SameMessages()
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = "http://localhost:9/v1",
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:Pipeline:ApiKeys:0"] = "first-key-000000000",
            ["AI:Pipeline:ApiKeys:1"] = "second-key-00000\r\n000",
            ["AI:Clients:default:Pipeline:Fallback:Clients:0"] = "welcome",
            ["AI:Clients:default:Pipeline:Fallback:ByKind:Timeout:0"] = "nobody",
            ["AI:Clients:welcome:Pipeline:Fallback:Clients:0"] = "default",
        };
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();

        var errors = provider.GetRequiredService<ConfiguredChatClients>().Validate();

        Assert.Contains(errors, e => e.StartsWith("The API key in AI:Pipeline:ApiKeys:1 ", StringComparison.Ordinal) && e.EndsWith("The key is not shown.", StringComparison.Ordinal));
        Assert.Contains("AI:Clients:default:Pipeline:Fallback:ByKind:Timeout names 'nobody', which is not a configured client. Configured clients: default, welcome.", errors);
        Assert.Contains(errors, e => e.StartsWith("AI:Clients:default:Pipeline:Fallback:Clients leads back to 'default' (default -> welcome -> default)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AI:Clients:welcome:Pipeline:Fallback:Clients leads back to 'welcome' (welcome -> default -> welcome)", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("second-key", StringComparison.Ordinal));
    }
}
