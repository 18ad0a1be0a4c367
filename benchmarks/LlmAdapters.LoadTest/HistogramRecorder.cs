// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace LlmAdapters.LoadTest;

/// <summary>One histogram's values since the last reset: count, p50, p99 and mean in milliseconds.</summary>
internal sealed class HistogramRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private ConcurrentQueue<double> _values = new();

    public HistogramRecorder(string meter, string instrument)
    {
        _listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == meter && i.Name == instrument)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _values.Enqueue(value));
        _listener.Start();
    }

    public void Reset() => _values = new ConcurrentQueue<double>();

    public string Summary()
    {
        var values = _values.ToArray();
        Array.Sort(values);
        double At(double q) => values.Length == 0 ? double.NaN : values[(int)Math.Min(values.Length - 1, q * values.Length)] * 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{values.Length} {At(0.5):0.000} {At(0.99):0.000} {(values.Length == 0 ? double.NaN : values.Average() * 1000):0.000}");
    }

    public void Dispose() => _listener.Dispose();
}
