// Licensed under the MIT License.

using System.Globalization;
using System.Text;
using LlmAdapters.Batch;
using LlmAdapters.Cost;

namespace LlmAdapters.Samples.Chat.Batch;

/// <summary>
/// Shows a batch's progress on stderr: on a terminal, one bar redrawn in place at most ten times a second
/// (<c>[#####-----] 500/1000 · 3 failed · 8 in flight · 12,345 tokens · $0.0123 · ETA 1m20s</c>); otherwise a plain line
/// at every tenth of the items.
/// </summary>
internal sealed class BatchProgressDisplay : IProgress<ChatBatchProgress>
{
    private const int BarWidth = 24;
    private static readonly TimeSpan s_redrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _stderr;
    private readonly bool _live;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _lastDraw;
    private int _lastTenth = -1;
    private int _lastLength;
    private bool _drawn;

    public BatchProgressDisplay(TextWriter stderr, bool live, TimeProvider time)
    {
        _stderr = stderr;
        _live = live;
        _time = time;
    }

    public void Report(ChatBatchProgress value)
    {
        lock (_lock)
        {
            var final = value.Done == value.Total || (value.StopReason != ChatBatchStopReason.None && value.InFlight == 0);
            if (_live)
            {
                if (!final && _drawn && _time.GetElapsedTime(_lastDraw) < s_redrawInterval)
                {
                    return;
                }

                var line = Format(value, bar: true);
                _stderr.Write("\r" + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
                _stderr.Flush();
                _lastLength = line.Length;
                _lastDraw = _time.GetTimestamp();
                _drawn = true;
            }
            else
            {
                var tenth = value.Total == 0 ? 10 : value.Done * 10 / value.Total;
                if (tenth == _lastTenth || (value.Done == 0 && _lastTenth >= 0))
                {
                    return;
                }

                _lastTenth = tenth;
                _stderr.WriteLine(Format(value, bar: false));
            }
        }
    }

    /// <summary>Ends the bar's line, so that what follows starts on a line of its own.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_live && _drawn)
            {
                _stderr.WriteLine();
            }
        }
    }

    internal static string Format(ChatBatchProgress p, bool bar)
    {
        var text = new StringBuilder(120);
        if (bar)
        {
            var filled = p.Total == 0 ? BarWidth : p.Done * BarWidth / p.Total;
            text.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ");
        }
        else
        {
            text.Append("progress: ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{p.Done}/{p.Total}");
        if (p.Failed > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" · {p.Failed} failed");
        }

        text.Append(CultureInfo.InvariantCulture, $" · {p.InFlight} in flight · {p.InputTokens + p.OutputTokens:N0} tokens · {ChatCost.FormatUsd(p.Cost)}");
        text.Append(" · ETA ").Append(p.EstimatedRemaining is { } eta ? FormatDuration(eta) : "…");
        return text.ToString();
    }

    internal static string FormatDuration(TimeSpan duration) => duration.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes:00}m")
        : duration.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(duration.TotalSeconds):0}s");
}
