// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Ollama.Internal.Dto;

/// <summary>The body of <c>POST /api/chat</c>.</summary>
internal sealed class OllamaChatRequest
{
    public required string Model { get; set; }

    public List<OllamaMessage> Messages { get; set; } = [];

    public List<OllamaTool>? Tools { get; set; }

    public JsonElement? Format { get; set; }

    /// <summary>Gets or sets <c>think</c>: <see langword="true"/>/<see langword="false"/>, or a level (<c>low</c>, <c>medium</c>, <c>high</c>).</summary>
    public JsonElement? Think { get; set; }

    public bool Stream { get; set; }

    public JsonElement? KeepAlive { get; set; }

    public Dictionary<string, JsonElement>? Options { get; set; }
}

/// <summary>A message, in a request or a response.</summary>
internal sealed class OllamaMessage
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    public string? Thinking { get; set; }

    public List<string>? Images { get; set; }

    public List<OllamaToolCall>? ToolCalls { get; set; }

    public string? ToolName { get; set; }

    public string? ToolCallId { get; set; }
}

/// <summary>A tool call: arguments are a JSON object, not a string.</summary>
internal sealed class OllamaToolCall
{
    public string? Id { get; set; }

    public OllamaFunctionCall? Function { get; set; }
}

/// <summary>The function of a tool call.</summary>
internal sealed class OllamaFunctionCall
{
    public int? Index { get; set; }

    public string? Name { get; set; }

    public JsonElement? Arguments { get; set; }
}

/// <summary>A tool offered to the model.</summary>
internal sealed class OllamaTool
{
    public string Type { get; set; } = "function";

    public required OllamaFunction Function { get; set; }
}

/// <summary>A function declaration.</summary>
internal sealed class OllamaFunction
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    public JsonElement Parameters { get; set; }
}
