// Licensed under the MIT License.

using System.Buffers;
using System.Net.ServerSentEvents;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// Reads newline-delimited JSON from UTF-8 bytes, handing each non-blank line to a decoder without a string per line. It
/// enumerates what <see cref="SseParser"/>'s enumerator does (the update in <see cref="SseItem{T}.Data"/>, no event type), so
/// that the transport reads both formats with one loop.
/// </summary>
internal sealed class NdjsonLineReader(Stream stream, INativeStreamDecoder decoder, CancellationToken cancellationToken)
    : IAsyncEnumerator<SseItem<ChatResponseUpdate?>>
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Gets the decoder's update for the last line read.</summary>
    public SseItem<ChatResponseUpdate?> Current { get; private set; }

    /// <summary>Decodes the next non-blank line.</summary>
    /// <returns>Whether a line was read (its update is then <see cref="Current"/>).</returns>
    public async ValueTask<bool> MoveNextAsync()
    {
        while (true)
        {
            if (TryDecodeLine(out var update))
            {
                Current = new SseItem<ChatResponseUpdate?>(update);
                return true;
            }

            if (_ended)
            {
                Current = default;
                return false;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
            }

            _end += read;
        }
    }

    /// <summary>Returns the buffer to its pool.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        return ValueTask.CompletedTask;
    }

    private bool TryDecodeLine(out ChatResponseUpdate? update)
    {
        while (_start < _end)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline < 0 && !_ended)
            {
                break;
            }

            var line = newline < 0 ? pending : pending[..newline];
            _start += newline < 0 ? pending.Length : newline + 1;
            if (!NativeSse.IsBlank(line))
            {
                update = decoder.Decode(string.Empty, line.TrimEnd((byte)'\r'));
                return true;
            }
        }

        update = null;
        return false;
    }
}
