// Licensed under the MIT License.

namespace LlmAdapters.OpenAI.Internal;

/// <summary>A read-only stream over another that throws once more than a given number of bytes has been read.</summary>
internal sealed class LimitedReadStream(Stream inner, long maxBytes, Func<Exception> onExceeded) : ObservedReadStream(inner)
{
    private long _read;

    protected override int OnRead(ReadOnlySpan<byte> read)
    {
        _read += read.Length;
        return _read > maxBytes ? throw onExceeded() : read.Length;
    }
}
