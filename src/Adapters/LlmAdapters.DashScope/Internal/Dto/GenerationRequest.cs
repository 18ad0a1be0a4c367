// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.DashScope.Internal.Dto;

/// <summary>The body of a generation request.</summary>
internal sealed class GenerationRequest
{
    public required string Model { get; set; }

    public GenerationInput Input { get; set; } = new();

    public Dictionary<string, JsonElement> Parameters { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The <c>input</c> member.</summary>
internal sealed class GenerationInput
{
    public List<DashScopeMessage> Messages { get; set; } = [];
}

/// <summary>A message, in a request or a response. Content is a string (text generation) or a list of parts (multimodal).</summary>
internal sealed class DashScopeMessage
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }

    public string? ReasoningContent { get; set; }

    public List<DashScopeToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }

    public string? Name { get; set; }
}

/// <summary>A tool call (arguments are JSON text, streamed in fragments).</summary>
internal sealed class DashScopeToolCall
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public DashScopeFunctionCall? Function { get; set; }
}

/// <summary>The function of a tool call.</summary>
internal sealed class DashScopeFunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}
