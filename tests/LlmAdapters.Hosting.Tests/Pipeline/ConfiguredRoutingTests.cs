// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>
/// Issue 22, items 4 to 6 in a configured host: typed fallbacks and routing strategies read from <c>Pipeline:Fallback</c>,
/// checked at start with messages naming the key, and end to end on the emulator over real HTTP: the target that served
/// is on the response and the span, the outer stages run once, and the one ledger entry has the serving model's price.
/// </summary>
public sealed class ConfiguredRoutingTests
{
    private const string Fallback = "AI:Clients:default:Pipeline:Fallback";

    private static readonly Dictionary<string, string?> s_base = new()
    {
        ["AI:Provider"] = "openai",
        ["AI:Model"] = "gpt-4o-mini",
        ["AI:ApiKey"] = "sk-test-0000000000000000",
        ["AI:Endpoint"] = "http://127.0.0.1:9/v1",
        ["AI:Clients:welcome:MaxOutputTokens"] = "100",
        ["AI:Clients:big:Model"] = "gpt-4.1",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Validate_EveryRoutingKey_HasNoErrors() =>
        Assert.Empty(Validate(
            ($"{Fallback}:Clients:0", "welcome"),
            ($"{Fallback}:ByKind:ContextLengthExceeded:0", "big"),
            ($"{Fallback}:ByKind:ContentFiltered", "welcome,big"),
            ($"{Fallback}:Strategy", "weighted"),
            ($"{Fallback}:Weights:default", "3"),
            ($"{Fallback}:Weights:welcome", "1"),
            ($"{Fallback}:Affinity", "Conversation"),
            ($"{Fallback}:AffinityDuration", "30m")));

    [Fact]
    public void Validate_LowestCost_HasThePricesOfTheHost() =>
        Assert.Empty(Validate(($"{Fallback}:Clients:0", "welcome"), ($"{Fallback}:Strategy", "LowestCost")));

    [Theory]
    [InlineData("ByKind:Banana:0", "big", $"{Fallback}:ByKind:Banana is not an error kind. Known kinds: ")]
    [InlineData("ByKind:3:0", "big", $"{Fallback}:ByKind:3 is not an error kind.")]
    [InlineData("ByKind:ContextLengthExceeded:0", "nobody", $"{Fallback}:ByKind:ContextLengthExceeded names 'nobody', which is not a configured client. Configured clients: ")]
    [InlineData("ByKind:ContentFiltered:0", "default", $"{Fallback}:ByKind:ContentFiltered names 'default', the client itself")]
    [InlineData("Strategy", "Fastest", $"{Fallback}:Strategy is 'Fastest', which is not one of Ordered, Weighted, LeastBusy, LowestLatency, LowestCost")]
    [InlineData("Affinity", "Sticky", $"{Fallback}:Affinity is 'Sticky', which is not one of None, Conversation")]
    [InlineData("AffinityDuration", "0", $"{Fallback}:AffinityDuration is '0', which is not a positive duration")]
    [InlineData("Weights:welcome", "-1", $"{Fallback}:Weights:welcome is '-1', which is not a number from 0 to ")]
    [InlineData("Weights:ghost", "1", $"{Fallback}:Weights:ghost is not a target of this client. Its targets: default, welcome.")]
    [InlineData("Weights:default", "0", $"{Fallback}:Weights gives every target a weight of 0")]
    [InlineData("Strategy:x", "1", $"{Fallback}:Strategy:x is not a known key")]
    public void Validate_BadRoutingKey_NamesItsPath(string key, string value, string expected)
    {
        var strategy = key.StartsWith("Weights", StringComparison.Ordinal) ? "Weighted" : null;
        var errors = Validate(
            ($"{Fallback}:Clients:0", "welcome"),
            ($"{Fallback}:{key}", value),
            ($"{Fallback}:Strategy", key.StartsWith("Strategy", StringComparison.Ordinal) && !key.Contains(':', StringComparison.Ordinal) ? value : strategy ?? "Ordered"));

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WeightsWithoutTheWeightedStrategy_SaysSo()
    {
        var errors = Validate(($"{Fallback}:Clients:0", "welcome"), ($"{Fallback}:Weights:welcome", "2"));
        Assert.Contains(errors, e => e.StartsWith($"{Fallback}:Weights is set, but {Fallback}:Strategy is Ordered", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TypedFallbackLeadingBack_IsACycle()
    {
        var errors = Validate(
            ($"{Fallback}:ByKind:ContextLengthExceeded:0", "big"),
            ("AI:Clients:big:Pipeline:Fallback:ByKind:RateLimited:0", "default"));

        Assert.Contains(errors, e => e.Contains("leads back to 'default' (default -> big -> default)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedFallback_ContextLengthFromTheProvider_ServedByTheLargerContextClient_OneLedgerEntryAtItsPrice(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var host = Host(emulator, new()
        {
            ["AI:Clients:default:Model"] = "gpt-4o-mini",
            [$"{Fallback}:Clients:0"] = "backup",
            [$"{Fallback}:ByKind:ContextLengthExceeded:0"] = "big",
            ["AI:Clients:backup:Model"] = "gpt-4o",
            ["AI:Clients:big:Model"] = "gpt-4.1",
        });
        emulator.Faults.Enqueue(new EmulatorFault
        {
            StatusCode = 400,
            // OpenAI's recorded answer (tests/Fixtures/openai/error-400-context-length.json).
            Body = """{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""",
        });

        var (response, servedBy) = await host.RunAsync(streaming);

        Assert.Equal("big", servedBy);
        Assert.Equal("gpt-4.1", response.ModelId);
        Assert.Equal(2, emulator.RequestCount);
        host.AssertOneLedgerEntryPricedAs("gpt-4.1", response);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LowestCost_CheaperClientServesFirst_OneLedgerEntryAtItsPrice_TargetOnTheSpan(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var host = Host(emulator, new()
        {
            ["AI:Clients:default:Model"] = "gpt-4o",
            [$"{Fallback}:Clients:0"] = "backup",
            [$"{Fallback}:Strategy"] = "LowestCost",
            ["AI:Clients:backup:Model"] = "gpt-4o-mini",
        });

        var (response, servedBy) = await host.RunAsync(streaming);

        Assert.Equal("backup", servedBy);
        Assert.Equal(1, emulator.RequestCount);
        host.AssertOneLedgerEntryPricedAs("gpt-4o-mini", response);
        var span = Assert.Single(host.Spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal("backup", span.GetTagItem(ResilienceTelemetryNames.FallbackClientTag));
        Assert.Equal("LowestCost", span.GetTagItem(ResilienceTelemetryNames.RoutingStrategyTag));
    }

    public static TheoryData<string, bool> StrategiesAndStreaming
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var strategy in Enum.GetNames<ChatRoutingStrategy>())
            {
                data.Add(strategy, false);
                data.Add(strategy, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(StrategiesAndStreaming))]
    public async Task EveryStrategy_PrimaryDown_BackupServes_OuterStagesOnce_OneLedgerEntryAtTheBackupsPrice(string strategy, bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        using var host = Host(emulator, new()
        {
            ["AI:Clients:default:Model"] = "gpt-4o",
            ["AI:Clients:default:Endpoint"] = "http://127.0.0.1:9/v1", // nothing listens: every call is Unavailable
            [$"{Fallback}:Clients:0"] = "backup",
            [$"{Fallback}:Strategy"] = strategy,
            ["AI:Clients:backup:Model"] = "gpt-4o-mini",
        });

        var (response, servedBy) = await host.RunAsync(streaming);

        Assert.Equal("backup", servedBy);
        Assert.Equal(1, emulator.RequestCount);
        host.AssertOneLedgerEntryPricedAs("gpt-4o-mini", response);
        Assert.Single(host.Spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamCutAfterTheFirstUpdate_IsNotRerouted_NoEntryTwice(bool typed)
    {
        // The chunk delay lets the client read the first chunks before the reset (as in EmulatorResilienceTests).
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(50) }, Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "one two three four five six seven eight nine ten" });
        var values = new Dictionary<string, string?>
        {
            ["AI:Clients:default:Model"] = "gpt-4o-mini",
            ["AI:Clients:default:Pipeline:Retry:MaxAttempts"] = "1",
            [$"{Fallback}:Clients:0"] = "backup",
            [$"{Fallback}:Strategy"] = "LeastBusy",
            ["AI:Clients:backup:Model"] = "gpt-4o",
        };
        if (typed)
        {
            values[$"{Fallback}:ByKind:Unavailable:0"] = "backup";
        }

        using var host = Host(emulator, values);
        emulator.Faults.Enqueue(new EmulatorFault { CutAfterChunks = 3 });

        var received = new List<ChatResponseUpdate>();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var update in host.Client.GetStreamingResponseAsync("tell me a long story", cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.Contains("one", string.Concat(received.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Equal("default", received[0].AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal(1, emulator.RequestCount);
        Assert.True(host.Ledger.Entries.Count <= 1);
    }

    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>(s_base);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ConfiguredChatClients>().Validate();
    }

    private static TestHost Host(EmulatorServer emulator, Dictionary<string, string?> values)
    {
        var sourceName = "LlmAdapters.Tests." + Guid.NewGuid().ToString("N");
        values["AI:Provider"] = "openai";
        values["AI:Endpoint"] = emulator.OpenAIEndpoint.ToString();
        values["AI:ApiKey"] = "sk-test-emulator-0000000000000000";
        values["AI:Pipeline:OpenTelemetry:SourceName"] = sourceName;
        values.TryAdd("AI:Pipeline:Retry:MaxAttempts", "1");
        return new TestHost(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), sourceName);
    }

    private sealed class TestHost : IDisposable
    {
        private readonly ServiceProvider _provider;
        private readonly ActivityListener _listener;

        public TestHost(IConfiguration configuration, string sourceName)
        {
            var services = new ServiceCollection();
            services.AddSingleton<ICostLedger>(Ledger);
            services.AddConfiguredChatClients(configuration.GetSection("AI"));
            _provider = services.BuildServiceProvider();
            Assert.Empty(_provider.GetRequiredService<ConfiguredChatClients>().Validate());
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == sourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Spans.Add,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public RecordingLedger Ledger { get; } = new();

        public ConcurrentBag<Activity> Spans { get; } = [];

        public IChatClient Client => _provider.GetRequiredService<IChatClient>();

        public async Task<(ChatResponse Response, object? ServedBy)> RunAsync(bool streaming)
        {
            if (!streaming)
            {
                var response = await Client.GetResponseAsync("hello there", cancellationToken: Ct);
                return (response, response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
            }

            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in Client.GetStreamingResponseAsync("hello there", cancellationToken: Ct))
            {
                updates.Add(update);
            }

            // The first update names the target that served the stream.
            return (updates.ToChatResponse(), updates[0].AdditionalProperties?[FallbackChatClient.ServedByKey]);
        }

        public void AssertOneLedgerEntryPricedAs(string model, ChatResponse response)
        {
            var entry = Assert.Single(Ledger.Entries);
            Assert.Equal("default", entry.ClientName);
            Assert.Equal(model, entry.ModelId);
            var expected = PriceCatalog.Default.Calculate(model, response.Usage);
            Assert.NotNull(expected);
            Assert.Equal(expected.Total, entry.Cost?.Total);
        }

        public void Dispose()
        {
            _listener.Dispose();
            _provider.Dispose();
        }
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
}
