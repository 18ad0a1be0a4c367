// Licensed under the MIT License.

using System.Text.Json;

#pragma warning disable SA1402 // Wire DTOs: one file per wire.

namespace LlmAdapters.Gateway.Anthropic;

/// <summary>The body of <c>POST /v1/messages</c>, as the Anthropic SDKs send it (unknown fields are ignored).</summary>
internal sealed class MessagesRequest
{
    public string? Model { get; set; }

    public int? MaxTokens { get; set; }

    public JsonElement? System { get; set; }

    public List<AntMessage>? Messages { get; set; }

    public List<AntTool>? Tools { get; set; }

    public AntToolChoice? ToolChoice { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public List<string>? StopSequences { get; set; }

    public bool? Stream { get; set; }

    public AntThinking? Thinking { get; set; }
}

internal sealed class AntMessage
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }
}

internal sealed class AntTool
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? InputSchema { get; set; }
}

internal sealed class AntToolChoice
{
    public string? Type { get; set; }

    public string? Name { get; set; }
}

internal sealed class AntThinking
{
    public string? Type { get; set; }

    public int? BudgetTokens { get; set; }
}

/// <summary>A <c>message</c> response (and the <c>message</c> of <c>message_start</c>).</summary>
internal sealed class AntMessageResponse
{
    public required string Id { get; init; }

    public string Type { get; init; } = "message";

    public string Role { get; init; } = "assistant";

    public required string Model { get; init; }

    public required List<AntBlock> Content { get; init; }

    public string? StopReason { get; init; }

    public string? StopSequence { get; init; }

    public required AntUsage Usage { get; init; }
}

/// <summary>One content block: <c>text</c>, <c>thinking</c> or <c>tool_use</c>.</summary>
internal sealed class AntBlock
{
    public required string Type { get; init; }

    public string? Text { get; init; }

    public string? Thinking { get; init; }

    public string? Signature { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public JsonElement? Input { get; init; }
}

internal sealed class AntUsage
{
    public long? InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long? CacheReadInputTokens { get; init; }
}

/// <summary>One streamed event (its <c>type</c> says which fields it has); also the error body.</summary>
internal sealed class AntEvent
{
    public required string Type { get; init; }

    public AntMessageResponse? Message { get; init; }

    public int? Index { get; init; }

    public AntBlock? ContentBlock { get; init; }

    public AntDelta? Delta { get; init; }

    public AntUsage? Usage { get; init; }

    public AntErrorInfo? Error { get; init; }
}

internal sealed class AntDelta
{
    public string? Type { get; init; }

    public string? Text { get; init; }

    public string? Thinking { get; init; }

    public string? Signature { get; init; }

    public string? PartialJson { get; init; }

    public string? StopReason { get; init; }

    public string? StopSequence { get; init; }
}

internal sealed class AntErrorInfo
{
    public required string Type { get; init; }

    public required string Message { get; init; }
}
