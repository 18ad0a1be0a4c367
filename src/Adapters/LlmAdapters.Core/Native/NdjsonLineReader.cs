// Licensed under the MIT License.

using System.Buffers;

namespace LlmAdapters.Native;

/// <summary>Reads newline-delimited JSON from UTF-8 bytes, handing each non-blank line to a decoder without a string per line.</summary>
internal sealed class NdjsonLineReader(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Decodes the next non-blank line.</summary>
    /// <param name="decoder">The decoder.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>Whether a line was read, and the decoder's update for it.</returns>
    public async ValueTask<(bool Read, Microsoft.Extensions.AI.ChatResponseUpdate? Update)> ReadAsync(INativeStreamDecoder decoder, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryDecodeLine(decoder, out var update))
            {
                return (true, update);
            }

            if (_ended)
            {
                return (false, null);
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

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool TryDecodeLine(INativeStreamDecoder decoder, out Microsoft.Extensions.AI.ChatResponseUpdate? update)
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
