// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Anthropic.Internal.Dto;

/// <summary>The data of one server-sent event of a streamed message (every event type in one shape).</summary>
internal sealed class StreamEvent
{
    public string? Type { get; set; }

    public MessageResponse? Message { get; set; }

    public int? Index { get; set; }

    public JsonElement? ContentBlock { get; set; }

    public StreamDelta? Delta { get; set; }

    public AnthropicUsage? Usage { get; set; }
}

/// <summary>The <c>delta</c> of a <c>content_block_delta</c> or <c>message_delta</c> event.</summary>
internal sealed class StreamDelta
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public string? PartialJson { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public AnthropicCitation? Citation { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }

    public JsonElement? StopDetails { get; set; }
}
