// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Anthropic.Internal.Dto;

/// <summary>The body of <c>POST /v1/messages</c>.</summary>
internal sealed class MessagesRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("max_tokens")]
    public int MaxTokens { get; set; }

    [JsonPropertyName("messages")]
    public List<RequestMessage> Messages { get; set; } = [];

    /// <summary>A string, or an array of text blocks.</summary>
    [JsonPropertyName("system")]
    public JsonElement? System { get; set; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; set; }

    [JsonPropertyName("top_p")]
    public float? TopP { get; set; }

    [JsonPropertyName("top_k")]
    public int? TopK { get; set; }

    [JsonPropertyName("stop_sequences")]
    public List<string>? StopSequences { get; set; }

    [JsonPropertyName("stream")]
    public bool? Stream { get; set; }

    [JsonPropertyName("tools")]
    public List<ToolDefinition>? Tools { get; set; }

    [JsonPropertyName("tool_choice")]
    public ToolChoice? ToolChoice { get; set; }

    [JsonPropertyName("thinking")]
    public ThinkingConfig? Thinking { get; set; }

    [JsonPropertyName("output_config")]
    public OutputConfig? OutputConfig { get; set; }
}

/// <summary>One message of a request.</summary>
internal sealed class RequestMessage
{
    [JsonPropertyName("role")]
    public string Role { get; set; } = string.Empty;

    /// <summary>A string, or an array of content blocks.</summary>
    [JsonPropertyName("content")]
    public JsonElement Content { get; set; }

    /// <summary>The blocks, while the message is being built.</summary>
    [JsonIgnore]
    public List<RequestBlock> Blocks { get; } = [];
}

/// <summary>One content block of a request: every block type in one shape, unset members left out.</summary>
internal sealed class RequestBlock
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("source")]
    public BlockSource? Source { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("input")]
    public JsonElement? Input { get; set; }

    [JsonPropertyName("tool_use_id")]
    public string? ToolUseId { get; set; }

    /// <summary>The content of a <c>tool_result</c>: a string, or an array of blocks.</summary>
    [JsonPropertyName("content")]
    public JsonElement? Content { get; set; }

    [JsonPropertyName("is_error")]
    public bool? IsError { get; set; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }

    [JsonPropertyName("cache_control")]
    public JsonElement? CacheControl { get; set; }

    /// <summary>The members of a block sent back exactly as received (server tool blocks, unknown blocks).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Raw { get; set; }
}

/// <summary>The source of an <c>image</c> or <c>document</c> block.</summary>
internal sealed class BlockSource
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("media_type")]
    public string? MediaType { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

/// <summary>A tool declaration.</summary>
internal sealed class ToolDefinition
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("input_schema")]
    public JsonElement? InputSchema { get; set; }

    [JsonPropertyName("max_uses")]
    public int? MaxUses { get; set; }

    [JsonPropertyName("cache_control")]
    public JsonElement? CacheControl { get; set; }
}

/// <summary>The <c>tool_choice</c> member.</summary>
internal sealed class ToolChoice
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("disable_parallel_tool_use")]
    public bool? DisableParallelToolUse { get; set; }
}

/// <summary>The <c>thinking</c> member.</summary>
internal sealed class ThinkingConfig
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("budget_tokens")]
    public int? BudgetTokens { get; set; }

    [JsonPropertyName("display")]
    public string? Display { get; set; }
}

/// <summary>The <c>output_config</c> member.</summary>
internal sealed class OutputConfig
{
    [JsonPropertyName("format")]
    public OutputFormat? Format { get; set; }
}

/// <summary>The <c>output_config.format</c> member.</summary>
internal sealed class OutputFormat
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "json_schema";

    [JsonPropertyName("schema")]
    public JsonElement Schema { get; set; }
}
