// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Telemetry;

/// <summary>
/// The overhead metric (<see cref="HostingTelemetryNames.OverheadInstrument"/>, issue 24 item 4): recorded once per call of a
/// configured client over a native adapter, with the client and provider tags, never above the call's duration (the time
/// waited on the provider's bytes is taken out); and not recorded for a provider that does not report its waiting.
/// </summary>
[Collection(ListenerCollection.Name)]
public sealed class OverheadMetricTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NativeAdapter_EachCall_RecordsOverheadOnce_BelowItsDuration_WithClientAndProviderTags()
    {
        var name = "overhead-" + Guid.NewGuid().ToString("N")[..8];
        using var recorder = new Recorder(name);
        await using var emulator = await Emulator.EmulatorServer.StartAsync(cancellationToken: Ct);
        await using var services = Build(new()
        {
            [$"AI:Clients:{name}:Provider"] = "ollama",
            [$"AI:Clients:{name}:Endpoint"] = emulator.OllamaEndpoint.ToString(),
            [$"AI:Clients:{name}:Model"] = "llama3.2",
        });
        var client = services.GetRequiredKeyedService<IChatClient>(name);

        await client.GetResponseAsync("Hello emulator", cancellationToken: Ct);
        await foreach (var update in client.GetStreamingResponseAsync("Hello emulator", cancellationToken: Ct))
        {
            Assert.NotNull(update);
        }

        var overheads = recorder.Values(HostingTelemetryNames.OverheadInstrument);
        var durations = recorder.Values(HostingTelemetryNames.DurationInstrument);
        Assert.Equal(2, overheads.Count);
        Assert.Equal(2, durations.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("ollama", overheads[i].Provider);
            Assert.InRange(overheads[i].Value, 0, durations[i].Value);
            Assert.True(overheads[i].Value < durations[i].Value, "the time waited on the emulator's bytes is not counted");
        }
    }

    [Fact]
    public async Task ProviderThatDoesNotReportItsWaiting_RecordsNoOverhead()
    {
        var name = "overhead-" + Guid.NewGuid().ToString("N")[..8];
        using var recorder = new Recorder(name);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"AI:Clients:{name}:Provider"] = "recording",
            [$"AI:Clients:{name}:Model"] = "m",
        }).Build();
        var services = new ServiceCollection();
        services.Configure<ConfiguredChatClientsOptions>(o => o.GetEnvironmentVariable = _ => null);
        services.AddChatProvider(new RecordingProvider());
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>(name).GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Single(recorder.Values(HostingTelemetryNames.DurationInstrument));
        Assert.Empty(recorder.Values(HostingTelemetryNames.OverheadInstrument));
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.Configure<ConfiguredChatClientsOptions>(o => o.GetEnvironmentVariable = _ => null);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return services.BuildServiceProvider();
    }

    /// <summary>Records the Hosting meter's histograms for one client name (tests run in parallel on the same meter).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, string? Provider)> _values = new();

        public Recorder(string client)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HostingTelemetryNames.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                string? name = null, provider = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == HostingTelemetryNames.ClientTag)
                    {
                        name = tag.Value as string;
                    }
                    else if (tag.Key == HostingTelemetryNames.ProviderTag)
                    {
                        provider = tag.Value as string;
                    }
                }

                if (name == client)
                {
                    _values.Enqueue((instrument.Name, value, provider));
                }
            });
            _listener.Start();
        }

        public List<(double Value, string? Provider)> Values(string instrument) =>
            [.. _values.Where(v => v.Instrument == instrument).Select(v => (v.Value, v.Provider))];

        public void Dispose() => _listener.Dispose();
    }
}
