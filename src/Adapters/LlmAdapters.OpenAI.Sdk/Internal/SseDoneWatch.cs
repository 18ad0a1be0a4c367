// Licensed under the MIT License.

using LlmAdapters.Native;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// Watches a streamed Chat Completions body for its terminal event, <c>data: [DONE]</c>, so that the SDK path ends a stream
/// as the native decoder does: the SDK's reader ends as quietly when the connection closes as at <c>[DONE]</c>, so a stream
/// cut after a finish reason (or after a lone, malformed chunk) was an empty success (issue 20, N11). The streaming call
/// begins a watch on its flow; <see cref="ResponseGuardPolicy"/> hands it the body's bytes as the SDK reads them.
/// </summary>
/// <remarks>Only the start of each line is kept (the sentinel is short), so a watch costs a few bytes and no copy of an event.</remarks>
internal sealed class SseDoneWatch
{
    private static readonly AsyncLocal<SseDoneWatch?> s_current = new();
    private readonly byte[] _line = new byte[32];
    private int _lineLength;
    private bool _lineTooLong;

    private SseDoneWatch()
    {
    }

    /// <summary>Gets the watch of the streaming call in progress on this flow, or <see langword="null"/>.</summary>
    public static SseDoneWatch? Current => s_current.Value;

    /// <summary>Gets a value indicating whether a <c>data: [DONE]</c> line was read.</summary>
    public bool SawDone { get; private set; }

    /// <summary>Starts a watch for the streaming call about to be sent from this flow.</summary>
    /// <returns>The watch.</returns>
    public static SseDoneWatch Begin()
    {
        var watch = new SseDoneWatch();
        s_current.Value = watch;
        return watch;
    }

    /// <summary>Ends the watch on this flow (the call's request was sent).</summary>
    public static void End() => s_current.Value = null;

    /// <summary>Observes the bytes of one read; an empty read is the end of the body (a last line without a line break counts, as on the native path).</summary>
    /// <param name="read">The bytes read.</param>
    public void Observe(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            EndLine();
            return;
        }

        while (!read.IsEmpty)
        {
            var at = read.IndexOfAny((byte)'\r', (byte)'\n');
            Append(at < 0 ? read : read[..at]);
            if (at < 0)
            {
                return;
            }

            EndLine();
            read = read[(at + 1)..];
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_lineTooLong || part.IsEmpty)
        {
            return;
        }

        if (_lineLength + part.Length > _line.Length)
        {
            _lineTooLong = true;
            return;
        }

        part.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    private void EndLine()
    {
        if (!_lineTooLong && _lineLength > 0)
        {
            var line = _line.AsSpan(0, _lineLength);
            if (line.StartsWith("data:"u8) && NativeSse.IsDoneSentinel(line[5..]))
            {
                SawDone = true;
            }
        }

        _lineLength = 0;
        _lineTooLong = false;
    }
}
