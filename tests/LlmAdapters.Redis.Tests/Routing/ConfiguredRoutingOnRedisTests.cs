// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Redis.Tests.Routing;

/// <summary>Two hosts configured by AddConfiguredChatClients with the same AI:Redis share their fallback routing, over real HTTP.</summary>
public sealed class ConfiguredRoutingOnRedisTests(RedisServer redis)
{
    private ServiceProvider Host(EmulatorServer emulator, string prefix) =>
        new ServiceCollection().AddConfiguredChatClientsFrom(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "emulator-key",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
            ["AI:Clients:default:Model"] = "gpt-4o",
            ["AI:Clients:default:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:default:Pipeline:Fallback:FailureThreshold"] = "1",
            ["AI:Clients:default:Pipeline:Fallback:Strategy"] = "LeastBusy",
            ["AI:Clients:default:Pipeline:Fallback:Affinity"] = "Conversation",
            ["AI:Clients:backup:Model"] = "gpt-4o-mini",
            ["AI:Redis:Configuration"] = redis.Configuration,
            ["AI:Redis:KeyPrefix"] = prefix,
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CircuitOpenedByOneHost_TheOtherGoesStraightToTheBackup_OneLedgerEntryEach(bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: ct);
        var prefix = "route-hosts-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var first = Host(emulator, prefix);
        await using var second = Host(emulator, prefix);
        emulator.Faults.Enqueue(EmulatorFault.Status(503));

        Assert.Equal("backup", await ServedByAsync(first, "first conversation", streaming, ct));
        Assert.Equal(2, emulator.RequestCount);

        // The primary would answer now (the fault is spent), but its circuit, opened by the first host, is shared.
        Assert.Equal("backup", await ServedByAsync(second, "another conversation", streaming, ct));
        Assert.Equal(3, emulator.RequestCount);
        Assert.Contains("\"gpt-4o-mini\"", emulator.Requests[^1].Body, StringComparison.Ordinal);

        var ledger = Assert.IsType<RedisCostLedger>(second.GetRequiredService<ICostLedger>());
        var total = await ledger.GetTotalAsync(modelId: "gpt-4o-mini", cancellationToken: ct);
        Assert.Equal(2, total.Calls);
        Assert.Equal(0, (await ledger.GetTotalAsync(modelId: "gpt-4o", cancellationToken: ct)).Calls);
    }

    private static async Task<object?> ServedByAsync(IServiceProvider host, string prompt, bool streaming, CancellationToken ct)
    {
        var client = host.GetRequiredService<IChatClient>();
        if (!streaming)
        {
            return (await client.GetResponseAsync(prompt, cancellationToken: ct)).AdditionalProperties?[FallbackChatClient.ServedByKey];
        }

        object? servedBy = null;
        await foreach (var update in client.GetStreamingResponseAsync(prompt, cancellationToken: ct))
        {
            servedBy ??= update.AdditionalProperties?.TryGetValue(FallbackChatClient.ServedByKey, out var name) == true ? name : null;
        }

        return servedBy;
    }
}

internal static class RoutingHostExtensions
{
    public static ServiceProvider AddConfiguredChatClientsFrom(this IServiceCollection services, Dictionary<string, string?> values)
    {
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }
}
