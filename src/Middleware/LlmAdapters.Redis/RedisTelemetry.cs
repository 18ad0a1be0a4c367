// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Redis;

/// <summary>The package's one <see cref="Meter"/> and its instrument, named by <see cref="RedisTelemetryNames"/>.</summary>
internal static class RedisTelemetry
{
    private static readonly Meter s_meter = new(new MeterOptions(RedisTelemetryNames.MeterName) { Version = typeof(RedisTelemetry).Assembly.GetName().Version?.ToString() });

    internal static Counter<long> Fallbacks { get; } = s_meter.CreateCounter<long>(RedisTelemetryNames.FallbackInstrument, "{operation}", "Operations that Redis could not serve, handled by the concern's failure policy.");
}
