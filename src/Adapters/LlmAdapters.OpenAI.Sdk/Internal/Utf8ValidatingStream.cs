// Licensed under the MIT License.

using System.Text.Unicode;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// A read-only view of a successful response body that fails as soon as the bytes read are not valid UTF-8, so that the
/// SDK path answers invalid UTF-8 as the native kit does (Unknown) instead of decoding it to U+FFFD (issue 20). A sequence
/// split between two reads is checked when its end arrives.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner, Func<Exception> onInvalid) : ObservedReadStream(inner)
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;

    protected override int OnRead(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            // The end: a sequence left open is invalid.
            return _pendingLength == 0 ? 0 : throw onInvalid();
        }

        var data = read;
        if (_pendingLength > 0)
        {
            // Finish the sequence split across reads (at most 3 more bytes), then go on with the rest.
            var need = SequenceLength(_pending[0]) - _pendingLength;
            var take = Math.Min(need, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < SequenceLength(_pending[0]))
            {
                return read.Length;
            }

            if (!Utf8.IsValid(_pending.AsSpan(0, _pendingLength)))
            {
                throw onInvalid();
            }

            _pendingLength = 0;
        }

        // Hold back an incomplete sequence at the end.
        var end = data.Length;
        for (var i = 1; i <= 3 && i <= data.Length; i++)
        {
            var b = data[^i];
            if ((b & 0xC0) == 0xC0)
            {
                if (SequenceLength(b) > i)
                {
                    end = data.Length - i;
                }

                break;
            }

            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (!Utf8.IsValid(data[..end]))
        {
            throw onInvalid();
        }

        data[end..].CopyTo(_pending);
        _pendingLength = data.Length - end;
        return read.Length;
    }

    private static int SequenceLength(byte lead) => lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}
