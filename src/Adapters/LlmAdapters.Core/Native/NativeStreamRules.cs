// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// Wraps an adapter's <see cref="INativeStreamDecoder"/> with the rules every dialect shares, so that a decoder cannot
/// break them: an event that is not valid UTF-8 is <see cref="ChatProviderErrorKind.Unknown"/> (never U+FFFD, never a raw
/// transcoding exception); anything but the taxonomy, a JSON error or a cancellation thrown while decoding is the shape's
/// fault (<see cref="NativeErrors.InvalidShape"/>); and the <see cref="TerminalEventRule"/> (nothing after the finish,
/// a result or Unknown).
/// </summary>
internal sealed class NativeStreamRules(INativeStreamDecoder inner, string providerName) : INativeStreamDecoder
{
    private readonly TerminalEventRule _terminal = new();

    public NativeStreamFormat Format => inner.Format;

    public string TerminalEventName => inner.TerminalEventName;

    public bool Completed => inner.Completed;

    /// <summary>Gets a value indicating whether an update carrying a result passed.</summary>
    public bool SawResult => _terminal.SawResult;

    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (!Utf8.IsValid(data))
        {
            throw NativeErrors.InvalidUtf8(providerName, HttpStatusCode.OK);
        }

        ChatResponseUpdate? update;
        try
        {
            update = inner.Decode(eventType, data);
        }
        catch (Exception ex) when (ex is not (ChatProviderException or JsonException or OperationCanceledException or OutOfMemoryException))
        {
            throw new ChatProviderException(
                ChatProviderErrorKind.Unknown, providerName, "The provider sent a streamed event the adapter cannot read: " + ex.GetType().Name + ".", HttpStatusCode.OK, ex)
            {
                IsTransient = false,
            };
        }

        return update is null ? null : _terminal.Apply(update);
    }
}
