// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Native;

namespace LlmAdapters.Anthropic.Internal.Dto;

/// <summary>A message as returned by <c>POST /v1/messages</c> (and in <c>message_start</c>).</summary>
internal sealed class MessageResponse : INativeResponse
{
    public string? Id { get; set; }

    public string? Type { get; set; }

    public string? Role { get; set; }

    public string? Model { get; set; }

    /// <summary>The content blocks, kept raw so that server-side blocks can be sent back untouched.</summary>
    public List<JsonElement>? Content { get; set; }

    public string? StopReason { get; set; }

    public string? StopSequence { get; set; }

    public JsonElement? StopDetails { get; set; }

    public AnthropicUsage? Usage { get; set; }

    /// <inheritdoc/>
    /// <remarks>A message has a <c>content</c> array (empty is allowed), and its <c>type</c>, when present, is <c>message</c>: another
    /// provider's body (OpenAI's <c>choices</c>), <c>{"foo":1}</c> or <c>content: null</c> is not an empty answer.</remarks>
    public string? GetShapeError() =>
        Content is null ? "it has no \"content\" array." :
        Type is not null && Type != "message" ? "its \"type\" is not \"message\"." :
        null;
}

/// <summary>A response content block (every type in one shape).</summary>
internal sealed class ResponseBlock
{
    public string? Type { get; set; }

    public string? Text { get; set; }

    public List<AnthropicCitation>? Citations { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonElement? Input { get; set; }

    public string? Thinking { get; set; }

    public string? Signature { get; set; }

    public string? Data { get; set; }

    public string? ToolUseId { get; set; }

    public JsonElement? Content { get; set; }
}

/// <summary>A citation attached to a text block.</summary>
internal sealed class AnthropicCitation
{
    public string? Type { get; set; }

    public string? CitedText { get; set; }

    public string? Url { get; set; }

    public string? Title { get; set; }

    public string? DocumentTitle { get; set; }

    public int? StartCharIndex { get; set; }

    public int? EndCharIndex { get; set; }
}

/// <summary>The <c>usage</c> member (cumulative in <c>message_delta</c>).</summary>
internal sealed class AnthropicUsage
{
    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? CacheCreationInputTokens { get; set; }

    public long? CacheReadInputTokens { get; set; }

    public CacheCreationUsage? CacheCreation { get; set; }

    public ServerToolUsage? ServerToolUse { get; set; }

    public OutputTokensDetails? OutputTokensDetails { get; set; }

    public string? ServiceTier { get; set; }
}

/// <summary>The <c>usage.cache_creation</c> member.</summary>
internal sealed class CacheCreationUsage
{
    [JsonPropertyName("ephemeral_5m_input_tokens")]
    public long? Ephemeral5mInputTokens { get; set; }

    [JsonPropertyName("ephemeral_1h_input_tokens")]
    public long? Ephemeral1hInputTokens { get; set; }
}

/// <summary>The <c>usage.server_tool_use</c> member.</summary>
internal sealed class ServerToolUsage
{
    public long? WebSearchRequests { get; set; }

    public long? WebFetchRequests { get; set; }
}

/// <summary>The <c>usage.output_tokens_details</c> member.</summary>
internal sealed class OutputTokensDetails
{
    public long? ThinkingTokens { get; set; }
}
