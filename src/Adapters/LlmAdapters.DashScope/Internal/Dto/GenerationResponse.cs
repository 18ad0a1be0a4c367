// Licensed under the MIT License.

using System.Text.Json.Serialization;
using LlmAdapters.Native;

namespace LlmAdapters.DashScope.Internal.Dto;

/// <summary>A generation answer, or one streamed event of it (or an error event: <c>code</c>, <c>message</c>).</summary>
internal sealed class GenerationResponse : INativeResponse
{
    [JsonPropertyName("output")]
    public GenerationOutput? Output { get; set; }

    [JsonPropertyName("usage")]
    public GenerationUsage? Usage { get; set; }

    [JsonPropertyName("request_id")]
    public string? RequestId { get; set; }

    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <inheritdoc/>
    public string? GetShapeError() => Output is null ? "the member 'output' is missing." : null;
}

/// <summary>The <c>output</c> member: choices (result_format message) or text (the legacy result_format text).</summary>
internal sealed class GenerationOutput
{
    [JsonPropertyName("choices")]
    public List<GenerationChoice>? Choices { get; set; }

    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; set; }
}

/// <summary>A choice.</summary>
internal sealed class GenerationChoice
{
    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; set; }

    [JsonPropertyName("message")]
    public DashScopeMessage? Message { get; set; }
}

/// <summary>The counts (cumulative in a stream).</summary>
internal sealed class GenerationUsage
{
    [JsonPropertyName("input_tokens")]
    public long? InputTokens { get; set; }

    [JsonPropertyName("output_tokens")]
    public long? OutputTokens { get; set; }

    [JsonPropertyName("total_tokens")]
    public long? TotalTokens { get; set; }

    [JsonPropertyName("prompt_tokens_details")]
    public PromptTokensDetails? PromptTokensDetails { get; set; }

    [JsonPropertyName("output_tokens_details")]
    public OutputTokensDetails? OutputTokensDetails { get; set; }
}

/// <summary>Cached input tokens.</summary>
internal sealed class PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")]
    public long? CachedTokens { get; set; }
}

/// <summary>Reasoning tokens.</summary>
internal sealed class OutputTokensDetails
{
    [JsonPropertyName("reasoning_tokens")]
    public long? ReasoningTokens { get; set; }
}
