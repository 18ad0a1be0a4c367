// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmAdapters.Anthropic.Internal.Dto;

/// <summary>The body of <c>POST /v1/messages</c>.</summary>
internal sealed class MessagesRequest
{
    public string Model { get; set; } = string.Empty;

    public int MaxTokens { get; set; }

    public List<RequestMessage> Messages { get; set; } = [];

    /// <summary>A string, or an array of text blocks.</summary>
    public JsonElement? System { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public List<string>? StopSequences { get; set; }

    public bool? Stream { get; set; }

    public List<ToolDefinition>? Tools { get; set; }

    public ToolChoice? ToolChoice { get; set; }

    public ThinkingConfig? Thinking { get; set; }

    public OutputConfig? OutputConfig { get; set; }
}

/// <summary>One message of a request.</summary>
internal sealed class RequestMessage
{
    public string Role { get; set; } = string.Empty;

    /// <summary>A string, or an array of content blocks.</summary>
    public JsonElement Content { get; set; }

    /// <summary>The blocks, while the message is being built.</summary>
    [JsonIgnore]
    public List<RequestBlock> Blocks { get; } = [];
}

/// <summary>One content block of a request: every block type in one shape, unset members left out.</summary>
internal sealed class RequestBlock
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public BlockSource? Source { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Input { get; set; }

    public string? ToolUseId { get; set; }

    /// <summary>The content of a <c>tool_result</c>: a string, or an array of blocks.</summary>
    public JsonElement? Content { get; set; }

    public bool? IsError { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? Data { get; set; }

    public JsonElement? CacheControl { get; set; }

    /// <summary>The members of a block sent back exactly as received (server tool blocks, unknown blocks).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Raw { get; set; }
}

/// <summary>The source of an <c>image</c> or <c>document</c> block.</summary>
internal sealed class BlockSource
{
    public string Type { get; set; } = string.Empty;

    public string? MediaType { get; set; }

    public string? Data { get; set; }

    public string? Url { get; set; }
}

/// <summary>A tool declaration.</summary>
internal sealed class ToolDefinition
{
    public string? Type { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public JsonElement? InputSchema { get; set; }

    public int? MaxUses { get; set; }

    public JsonElement? CacheControl { get; set; }
}

/// <summary>The <c>tool_choice</c> member.</summary>
internal sealed class ToolChoice
{
    public string Type { get; set; } = string.Empty;

    public string? Name { get; set; }

    public bool? DisableParallelToolUse { get; set; }
}

/// <summary>The <c>thinking</c> member.</summary>
internal sealed class ThinkingConfig
{
    public string Type { get; set; } = string.Empty;

    public int? BudgetTokens { get; set; }

    public string? Display { get; set; }
}

/// <summary>The <c>output_config</c> member.</summary>
internal sealed class OutputConfig
{
    public OutputFormat? Format { get; set; }
}

/// <summary>The <c>output_config.format</c> member.</summary>
internal sealed class OutputFormat
{
    public string Type { get; set; } = "json_schema";

    public JsonElement Schema { get; set; }
}
