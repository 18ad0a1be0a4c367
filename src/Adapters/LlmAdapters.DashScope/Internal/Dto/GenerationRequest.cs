// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.DashScope.Internal.Dto;

/// <summary>The body of a generation request.</summary>
internal sealed class GenerationRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; set; }

    [JsonPropertyName("input")]
    public GenerationInput Input { get; set; } = new();

    [JsonPropertyName("parameters")]
    public Dictionary<string, JsonElement> Parameters { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The <c>input</c> member.</summary>
internal sealed class GenerationInput
{
    [JsonPropertyName("messages")]
    public List<DashScopeMessage> Messages { get; set; } = [];
}

/// <summary>A message, in a request or a response. Content is a string (text generation) or a list of parts (multimodal).</summary>
internal sealed class DashScopeMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("content")]
    public JsonElement? Content { get; set; }

    [JsonPropertyName("reasoning_content")]
    public string? ReasoningContent { get; set; }

    [JsonPropertyName("tool_calls")]
    public List<DashScopeToolCall>? ToolCalls { get; set; }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>A tool call (arguments are JSON text, streamed in fragments).</summary>
internal sealed class DashScopeToolCall
{
    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("function")]
    public DashScopeFunctionCall? Function { get; set; }
}

/// <summary>The function of a tool call.</summary>
internal sealed class DashScopeFunctionCall
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public string? Arguments { get; set; }
}
