// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>How a streamed response body is framed.</summary>
public enum NativeStreamFormat
{
    /// <summary>Server-sent events (<c>text/event-stream</c>): with <c>event:</c> names (Anthropic), <c>data:</c> only (Gemini), or with a <c>[DONE]</c> sentinel (OpenAI).</summary>
    ServerSentEvents = 0,

    /// <summary>Newline-delimited JSON (<c>application/x-ndjson</c>, Ollama): one JSON value per line.</summary>
    NewlineDelimitedJson,
}
