// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

#pragma warning disable SA1402, CA1819 // Wire DTOs: one file per wire, arrays as the wire has them.

namespace LlmAdapters.Gateway.OpenAI;

/// <summary>The body of <c>POST /v1/chat/completions</c>, as the OpenAI SDKs send it (unknown fields are ignored).</summary>
internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }

    public List<OaiMessage>? Messages { get; set; }

    public bool? Stream { get; set; }

    public OaiStreamOptions? StreamOptions { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Stop { get; set; }

    public long? Seed { get; set; }

    public float? FrequencyPenalty { get; set; }

    public float? PresencePenalty { get; set; }

    public int? N { get; set; }

    public List<OaiTool>? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public OaiResponseFormat? ResponseFormat { get; set; }

    public string? ReasoningEffort { get; set; }

    public string? User { get; set; }
}

internal sealed class OaiStreamOptions
{
    public bool? IncludeUsage { get; set; }
}

internal sealed class OaiMessage
{
    public string? Role { get; set; }

    public JsonElement? Content { get; set; }

    public string? Name { get; set; }

    public List<OaiToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }

    public string? ReasoningContent { get; set; }
}

internal sealed class OaiToolCall
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string? Type { get; set; }

    public OaiFunctionCall? Function { get; set; }
}

internal sealed class OaiFunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

internal sealed class OaiTool
{
    public string? Type { get; set; }

    public OaiFunctionDefinition? Function { get; set; }
}

internal sealed class OaiFunctionDefinition
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }

    public bool? Strict { get; set; }
}

internal sealed class OaiResponseFormat
{
    public string? Type { get; set; }

    public OaiJsonSchema? JsonSchema { get; set; }
}

internal sealed class OaiJsonSchema
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Schema { get; set; }

    public bool? Strict { get; set; }
}

/// <summary>A <c>chat.completion</c> response.</summary>
internal sealed class ChatCompletionResponse
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required List<OaiChoice> Choices { get; init; }

    public OaiUsage? Usage { get; init; }
}

internal sealed class OaiChoice
{
    public int Index { get; init; }

    public required OaiResponseMessage Message { get; init; }

    public string? FinishReason { get; init; }
}

internal sealed class OaiResponseMessage
{
    public string Role { get; init; } = "assistant";

    // Always written (null when the reply is only tool calls), as OpenAI does.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; }

    public string? ReasoningContent { get; init; }

    public List<OaiToolCall>? ToolCalls { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Refusal { get; init; }
}

/// <summary>A <c>chat.completion.chunk</c>.</summary>
internal sealed class ChatCompletionChunk
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion.chunk";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required List<OaiChunkChoice> Choices { get; init; }

    public OaiUsage? Usage { get; init; }
}

internal sealed class OaiChunkChoice
{
    public int Index { get; init; }

    public required OaiDelta Delta { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

internal sealed class OaiDelta
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public string? ReasoningContent { get; init; }

    public List<OaiToolCall>? ToolCalls { get; init; }
}

internal sealed class OaiUsage
{
    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public long TotalTokens { get; init; }

    public OaiPromptTokensDetails? PromptTokensDetails { get; init; }

    public OaiCompletionTokensDetails? CompletionTokensDetails { get; init; }
}

internal sealed class OaiPromptTokensDetails
{
    public long CachedTokens { get; init; }
}

internal sealed class OaiCompletionTokensDetails
{
    public long ReasoningTokens { get; init; }
}

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed class OaiErrorBody
{
    public required OaiError Error { get; init; }
}

internal sealed class OaiError
{
    public required string Message { get; init; }

    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; init; }
}

/// <summary>The body of <c>GET /v1/models</c>.</summary>
internal sealed class OaiModelList
{
    public string Object { get; init; } = "list";

    public required List<OaiModel> Data { get; init; }

    // Anthropic's paging fields: one page holds every model.
    public bool HasMore { get; init; }

    public string? FirstId { get; init; }

    public string? LastId { get; init; }
}

internal sealed class OaiModel
{
    public required string Id { get; init; }

    public string Object { get; init; } = "model";

    public long Created { get; init; }

    public required string OwnedBy { get; init; }

    // Anthropic's model list fields, so that one list serves both SDKs.
    public string Type { get; init; } = "model";

    public string? DisplayName { get; init; }

    public string? CreatedAt { get; init; }
}
