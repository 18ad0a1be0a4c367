// Licensed under the MIT License.

using System.Diagnostics.Metrics;
using System.Net;
using LlmAdapters.Hosting;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// The gateway's overhead metric (<see cref="LlmGatewayTelemetryNames.OverheadInstrument"/>): one value per served call on
/// each door, JSON and SSE, tagged with the door and the client, and never below the pipeline's own overhead
/// (<c>llmadapters.client.overhead</c>) of the same call, which it contains (both subtract the same provider wait).
/// </summary>
public sealed class GatewayOverheadTests
{
    private const string Client = "overhead-probe";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryServedCall_RecordsTheGatewaysOverhead_AtLeastThePipelines()
    {
        var gatewayValues = new List<(double Value, string? Door)>();
        var clientValues = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if ((instrument.Meter.Name, instrument.Name) is (LlmGatewayTelemetryNames.MeterName, LlmGatewayTelemetryNames.OverheadInstrument)
                    or (HostingTelemetryNames.MeterName, HostingTelemetryNames.OverheadInstrument))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string? client = null, door = null;
            foreach (var tag in tags)
            {
                client = tag.Key == LlmGatewayTelemetryNames.ClientTag ? tag.Value as string : client;
                door = tag.Key == LlmGatewayTelemetryNames.DoorTag ? tag.Value as string : door;
            }

            if (client != Client)
            {
                return;
            }

            lock (gatewayValues)
            {
                if (instrument.Meter.Name == LlmGatewayTelemetryNames.MeterName)
                {
                    gatewayValues.Add((value, door));
                }
                else
                {
                    clientValues.Add(value);
                }
            }
        });
        listener.Start();
        await using var gateway = await RunningGateway.StartAsync(new Dictionary<string, string?> { [$"AI:Clients:{Client}:MaxOutputTokens"] = "64" }, Ct);

        foreach (var (path, stream) in new[] { ("/v1/chat/completions", false), ("/v1/chat/completions", true), ("/v1/messages", false), ("/v1/messages", true) })
        {
            var body = $$"""{"model":"{{Client}}","max_tokens":40,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""";
            using var response = await gateway.Http.SendAsync(gateway.Post(path, body, xApiKey: path == "/v1/messages"), Ct);
            await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Recorded when the handler returns, which can be just after the caller read the last byte.
            for (var i = 0; i < 100 && Count() < clientValues.Count; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, Ct);
            }

            int Count()
            {
                lock (gatewayValues)
                {
                    return gatewayValues.Count;
                }
            }
        }

        lock (gatewayValues)
        {
            Assert.Equal(4, clientValues.Count);
            Assert.Equal(4, gatewayValues.Count);
            Assert.Equal(["chat.completions", "chat.completions", "messages", "messages"], gatewayValues.Select(v => v.Door));
            for (var i = 0; i < 4; i++)
            {
                Assert.True(gatewayValues[i].Value >= clientValues[i], $"call {i}: gateway {gatewayValues[i].Value} s < pipeline {clientValues[i]} s");
            }
        }
    }
}
