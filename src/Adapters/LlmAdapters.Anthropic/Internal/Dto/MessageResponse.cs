// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Native;

namespace LlmAdapters.Anthropic.Internal.Dto;

/// <summary>A message as returned by <c>POST /v1/messages</c> (and in <c>message_start</c>).</summary>
internal sealed class MessageResponse : INativeResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("role")]
    public string? Role { get; set; }

    [JsonPropertyName("model")]
    public string? Model { get; set; }

    /// <summary>The content blocks, kept raw so that server-side blocks can be sent back untouched.</summary>
    [JsonPropertyName("content")]
    public List<JsonElement>? Content { get; set; }

    [JsonPropertyName("stop_reason")]
    public string? StopReason { get; set; }

    [JsonPropertyName("stop_sequence")]
    public string? StopSequence { get; set; }

    [JsonPropertyName("stop_details")]
    public JsonElement? StopDetails { get; set; }

    [JsonPropertyName("usage")]
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
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("citations")]
    public List<AnthropicCitation>? Citations { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("input")]
    public JsonElement? Input { get; set; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    [JsonPropertyName("data")]
    public string? Data { get; set; }

    [JsonPropertyName("tool_use_id")]
    public string? ToolUseId { get; set; }

    [JsonPropertyName("content")]
    public JsonElement? Content { get; set; }
}

/// <summary>A citation attached to a text block.</summary>
internal sealed class AnthropicCitation
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("cited_text")]
    public string? CitedText { get; set; }

    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("title")]
    public string? Title { get; set; }

    [JsonPropertyName("document_title")]
    public string? DocumentTitle { get; set; }

    [JsonPropertyName("start_char_index")]
    public int? StartCharIndex { get; set; }

    [JsonPropertyName("end_char_index")]
    public int? EndCharIndex { get; set; }
}

/// <summary>The <c>usage</c> member (cumulative in <c>message_delta</c>).</summary>
internal sealed class AnthropicUsage
{
    [JsonPropertyName("input_tokens")]
    public long? InputTokens { get; set; }

    [JsonPropertyName("output_tokens")]
    public long? OutputTokens { get; set; }

    [JsonPropertyName("cache_creation_input_tokens")]
    public long? CacheCreationInputTokens { get; set; }

    [JsonPropertyName("cache_read_input_tokens")]
    public long? CacheReadInputTokens { get; set; }

    [JsonPropertyName("cache_creation")]
    public CacheCreationUsage? CacheCreation { get; set; }

    [JsonPropertyName("server_tool_use")]
    public ServerToolUsage? ServerToolUse { get; set; }

    [JsonPropertyName("output_tokens_details")]
    public OutputTokensDetails? OutputTokensDetails { get; set; }

    [JsonPropertyName("service_tier")]
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
    [JsonPropertyName("web_search_requests")]
    public long? WebSearchRequests { get; set; }

    [JsonPropertyName("web_fetch_requests")]
    public long? WebFetchRequests { get; set; }
}

/// <summary>The <c>usage.output_tokens_details</c> member.</summary>
internal sealed class OutputTokensDetails
{
    [JsonPropertyName("thinking_tokens")]
    public long? ThinkingTokens { get; set; }
}
