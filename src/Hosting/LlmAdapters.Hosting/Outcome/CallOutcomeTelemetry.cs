// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Hosting;

/// <summary>
/// The meter of configured pipelines (its public names are <see cref="HostingTelemetryNames"/>): every call of a
/// configured client by outcome and error kind, and its duration. Tokens and cost are counted by
/// Microsoft.Extensions.AI (<c>gen_ai.client.token.usage</c>) and cost accounting (<c>llmadapters.cost</c>).
/// </summary>
internal static class CallOutcomeTelemetry
{
    internal const string Success = "success";
    internal const string Failure = "failure";
    internal const string Cancelled = "cancelled";

    private static readonly Meter s_meter = new(new MeterOptions(HostingTelemetryNames.MeterName) { Version = typeof(CallOutcomeTelemetry).Assembly.GetName().Version?.ToString() });

    internal static Counter<long> Requests { get; } = s_meter.CreateCounter<long>(HostingTelemetryNames.RequestsInstrument, "{request}", "Calls of configured chat clients, by outcome and error kind.");

    internal static Histogram<double> Overhead { get; } = s_meter.CreateHistogram<double>(HostingTelemetryNames.OverheadInstrument, "s", "Time calls of configured chat clients spent in the library (pipeline and adapter), without the time waiting on the provider's bytes.");

    internal static Histogram<double> Duration { get; } = s_meter.CreateHistogram<double>(HostingTelemetryNames.DurationInstrument, "s", "Duration of calls of configured chat clients, tool loops and retries included.");
}
