// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// One streamed response of a native provider's dialect: turns each event (or NDJSON line) into an update, and says when
/// the provider's terminal event was seen. A new instance per response.
/// </summary>
/// <remarks>
/// The <see cref="NativeHttpTransport"/> reads the body, enforces the network timeout between events, and throws a
/// <see cref="ChatProviderException"/> when the body ends before <see cref="Completed"/>. A decoder throws
/// <see cref="ChatProviderException"/> for an error the provider reports in the stream (see <see cref="NativeErrors"/>),
/// and <see cref="System.Text.Json.JsonException"/> for data that is not its dialect; both are translated and redacted.
/// </remarks>
public interface INativeStreamDecoder
{
    /// <summary>Gets how the body is framed.</summary>
    NativeStreamFormat Format { get; }

    /// <summary>Gets the name of the terminal event, used in the error for a stream that ends early (e.g. <c>message_stop</c>, <c>a finishReason</c>, <c>[DONE]</c>).</summary>
    string TerminalEventName { get; }

    /// <summary>Gets a value indicating whether the terminal event was seen: the transport stops reading and the stream is complete.</summary>
    bool Completed { get; }

    /// <summary>Decodes one event from the UTF-8 bytes of its data (one NDJSON line, without its line break).</summary>
    /// <param name="eventType">The SSE event type (<c>message</c> when the event names none; empty for NDJSON).</param>
    /// <param name="data">The event's data: for SSE dialects with a sentinel, <see cref="NativeSse.IsDoneSentinel"/> recognises <c>[DONE]</c>.</param>
    /// <returns>The update to yield, or <see langword="null"/> when the event yields none.</returns>
    ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data);
}
