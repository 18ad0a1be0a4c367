// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmAdapters.Hosting;

namespace LlmAdapters.LoadTest;

/// <summary>
/// Listens to the configured pipeline's overhead metric (<see cref="HostingTelemetryNames.OverheadInstrument"/>) during a row,
/// so that the tool can print it beside its own, external measurement of the client's cost: the process's CPU time per request.
/// On only with <c>--overhead on</c>: listening turns the measurement on, which costs a little per call.
/// </summary>
internal sealed class OverheadRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _values = new();
    private TimeSpan _cpuAtReset;

    public OverheadRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HostingTelemetryNames.MeterName && instrument.Name == HostingTelemetryNames.OverheadInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _values.Enqueue(value));
        _listener.Start();
        Reset();
    }

    /// <summary>Forgets what was recorded (the warm-up) and starts counting CPU time again.</summary>
    public void Reset()
    {
        _values.Clear();
        _cpuAtReset = Process.GetCurrentProcess().TotalProcessorTime;
    }

    /// <summary>The metric's mean and p99 in milliseconds (NaN when nothing was recorded), and the process's CPU ms per request.</summary>
    public (double MeanMs, double P99Ms, double CpuMsPerRequest) Read(long requests)
    {
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtReset).TotalMilliseconds / Math.Max(1, requests);
        var values = _values.ToArray();
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN, cpu);
        }

        Array.Sort(values);
        return (values.Average() * 1000, values[(int)Math.Min(values.Length - 1, Math.Ceiling(values.Length * 0.99) - 1)] * 1000, cpu);
    }

    public void Dispose() => _listener.Dispose();
}
