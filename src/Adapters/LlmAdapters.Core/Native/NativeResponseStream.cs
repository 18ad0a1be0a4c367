// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>
/// A read-only view of a response body that counts the bytes read against the response-size limit and, for server-sent
/// events, adds one blank line at its end, so that a last event not followed by the blank line the SSE format asks for
/// (as some servers send their last event) is still dispatched. An extra blank line after a well-terminated stream
/// dispatches nothing.
/// </summary>
/// <remarks>When the call is measured (<see cref="ProviderWaitTime"/>), the time of each read of the inner stream is added to it.</remarks>
internal sealed class NativeResponseStream(Stream inner, long? maxBytes, bool terminate, ProviderWaitTime? wait = null, TimeProvider? clock = null) : Stream
{
    private readonly ProviderWaitTime? _wait = clock is null ? null : wait;
    private readonly TimeProvider? _clock = clock;
    private static readonly byte[] s_terminator = "\n\n"u8.ToArray();
    private readonly Stream _inner = inner;
    private readonly long _limit = maxBytes ?? long.MaxValue; // a plain long, not the 16-byte long?, keeps the wrapper small
    private readonly bool _terminate = terminate;
    private long _read;
    private int _terminatorPosition = -1;

    /// <summary>Gets a value indicating whether the inner stream has ended (events dispatched from now on were completed by the added blank line).</summary>
    public bool InnerEnded => _terminatorPosition >= 0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_terminatorPosition < 0)
        {
            var started = _wait is null ? 0 : _clock!.GetTimestamp();
            var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _wait?.Add(_clock!.GetElapsedTime(started));
            if (read > 0 || buffer.IsEmpty)
            {
                return Count(read);
            }

            _terminatorPosition = 0;
        }

        return ReadTerminator(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_terminatorPosition < 0)
        {
            var read = _inner.Read(buffer);
            if (read > 0 || buffer.IsEmpty)
            {
                return Count(read);
            }

            _terminatorPosition = 0;
        }

        return ReadTerminator(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > _limit)
        {
            throw new ResponseTooLargeException(_limit);
        }

        return read;
    }

    private int ReadTerminator(Span<byte> buffer)
    {
        if (!_terminate)
        {
            return 0;
        }

        var count = Math.Min(buffer.Length, s_terminator.Length - _terminatorPosition);
        s_terminator.AsSpan(_terminatorPosition, count).CopyTo(buffer);
        _terminatorPosition += count;
        return count;
    }
}
