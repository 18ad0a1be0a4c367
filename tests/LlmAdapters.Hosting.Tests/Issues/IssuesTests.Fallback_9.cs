// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Issues;

/// <summary>
/// Issue 9: a client that falls back to another named client ran that client's whole pipeline inside its own, so the
/// outer stages (cost, budget, spans, tool loop) ran twice. A fallback target is now the other client's inner stack.
/// </summary>
public sealed class IssuesTestsFallback9
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FallbackToNamedClient_OuterStagesRunOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        var sourceName = "LlmAdapters.Tests." + Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString(),
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI:Pipeline:OpenTelemetry:SourceName"] = sourceName,
            ["AI:Pipeline:Budget:Daily"] = "100",
            ["AI:Clients:default:Model"] = "gpt-4o",
            ["AI:Clients:default:Endpoint"] = "http://127.0.0.1:9/v1", // nothing listens: every call is Unavailable
            ["AI:Clients:default:Pipeline:Retry:MaxAttempts"] = "1",
            ["AI:Clients:default:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:backup:Model"] = "gpt-4o-mini",
        }).Build();

        var ledger = new RecordingLedger();
        var budget = new CountingBudgetStore();
        var services = new ServiceCollection();
        services.AddSingleton<ICostLedger>(ledger);
        services.AddSingleton<IBudgetStore>(budget);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        await using var provider = services.BuildServiceProvider();

        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var toolCalls = 0;
        var tool = AIFunctionFactory.Create((string city) =>
        {
            Interlocked.Increment(ref toolCalls);
            return "sunny in " + city;
        }, "get_weather");

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(
            "call get_weather city=Paris", new ChatOptions { Tools = [tool] }, Ct);

        Assert.Equal("backup", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal(1, toolCalls);

        // One ledger entry, recorded for the client the caller called, priced as the model that served.
        var entry = Assert.Single(ledger.Entries);
        Assert.Equal(1, budget.Reservations);
        // OpenTelemetry is inside function invocation (issue #14): one chat span per model call of the loop (two), one
        // orchestrate_tools span, and none doubled by the fallback.
        Assert.Equal(2, spans.Count(s => s.OperationName.StartsWith("chat", StringComparison.Ordinal)));
        Assert.Single(spans, s => s.OperationName.StartsWith("orchestrate_tools", StringComparison.Ordinal));
        Assert.Equal("default", entry.ClientName);
        Assert.Equal("gpt-4o-mini", response.ModelId);
        Assert.Equal("gpt-4o-mini", entry.ModelId);
        var expected = PriceCatalog.Default.Calculate("gpt-4o-mini", response.Usage);
        Assert.NotNull(expected);
        Assert.Equal(expected.Total, entry.Cost?.Total);

        // The backup served both calls of the tool loop; the primary never reached the emulator.
        Assert.Equal(2, emulator.RequestCount);
    }

    private sealed class RecordingLedger : ICostLedger
    {
        private readonly InMemoryCostLedger _inner = new();

        public ConcurrentQueue<CostEntry> Entries { get; } = new();

        public void Record(CostEntry entry)
        {
            Entries.Enqueue(entry);
            _inner.Record(entry);
        }

        public CostSummary GetTotal(string? clientName = null, string? modelId = null, string? tenant = null) => _inner.GetTotal(clientName, modelId, tenant);

        public IReadOnlyList<CostSummary> GetTotals(CostGrouping grouping) => _inner.GetTotals(grouping);
    }

    private sealed class CountingBudgetStore : IBudgetStore
    {
        private readonly InMemoryBudgetStore _inner = new();
        private int _reservations;

        public int Reservations => Volatile.Read(ref _reservations);

        public ValueTask<BudgetReservation> TryReserveAsync(BudgetLimit limit, string scopeKey, decimal amount, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reservations);
            return _inner.TryReserveAsync(limit, scopeKey, amount, cancellationToken);
        }

        public ValueTask SettleAsync(BudgetReservation reservation, decimal actualAmount, CancellationToken cancellationToken = default) =>
            _inner.SettleAsync(reservation, actualAmount, cancellationToken);

        public ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default) =>
            _inner.ReleaseAsync(reservation, cancellationToken);

        public ValueTask<BudgetUsage> GetUsageAsync(BudgetLimit limit, string scopeKey, CancellationToken cancellationToken = default) =>
            _inner.GetUsageAsync(limit, scopeKey, cancellationToken);
    }
}
