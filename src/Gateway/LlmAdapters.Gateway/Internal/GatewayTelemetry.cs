// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Gateway;

/// <summary>The gateway's meter and instruments (<see cref="LlmGatewayTelemetryNames"/>).</summary>
internal static class GatewayTelemetry
{
    private static readonly Meter s_meter = new(new MeterOptions(LlmGatewayTelemetryNames.MeterName) { Version = typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString() });

    public static Histogram<double> Overhead { get; } = s_meter.CreateHistogram<double>(
        LlmGatewayTelemetryNames.OverheadInstrument,
        unit: "s",
        description: "Time a gateway call spent in the gateway and the pipeline, minus the time waiting on the provider.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
}
