// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Ollama.Internal.Dto;

/// <summary>The body of <c>POST /api/chat</c>.</summary>
internal sealed class OllamaChatRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; set; }

    [JsonPropertyName("messages")]
    public List<OllamaMessage> Messages { get; set; } = [];

    [JsonPropertyName("tools")]
    public List<OllamaTool>? Tools { get; set; }

    [JsonPropertyName("format")]
    public JsonElement? Format { get; set; }

    /// <summary>Gets or sets <c>think</c>: <see langword="true"/>/<see langword="false"/>, or a level (<c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    [JsonPropertyName("think")]
    public JsonElement? Think { get; set; }

    [JsonPropertyName("stream")]
    public bool Stream { get; set; }

    [JsonPropertyName("keep_alive")]
    public JsonElement? KeepAlive { get; set; }

    [JsonPropertyName("options")]
    public Dictionary<string, JsonElement>? Options { get; set; }
}

/// <summary>A message, in a request or a response.</summary>
internal sealed class OllamaMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set; }

    [JsonPropertyName("images")]
    public List<string>? Images { get; set; }

    [JsonPropertyName("tool_calls")]
    public List<OllamaToolCall>? ToolCalls { get; set; }

    [JsonPropertyName("tool_name")]
    public string? ToolName { get; set; }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; set; }
}

/// <summary>A tool call: arguments are a JSON object, not a string.</summary>
internal sealed class OllamaToolCall
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("function")]
    public OllamaFunctionCall? Function { get; set; }
}

/// <summary>The function of a tool call.</summary>
internal sealed class OllamaFunctionCall
{
    [JsonPropertyName("index")]
    public int? Index { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("arguments")]
    public JsonElement? Arguments { get; set; }
}

/// <summary>A tool offered to the model.</summary>
internal sealed class OllamaTool
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "function";

    [JsonPropertyName("function")]
    public required OllamaFunction Function { get; set; }
}

/// <summary>A function declaration.</summary>
internal sealed class OllamaFunction
{
    [JsonPropertyName("name")]
    public required string Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("parameters")]
    public JsonElement Parameters { get; set; }
}
