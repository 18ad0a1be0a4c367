// Licensed under the MIT License.

using LlmAdapters.Native;

namespace LlmAdapters.DashScope.Internal.Dto;

/// <summary>A generation answer, or one streamed event of it (or an error event: <c>code</c>, <c>message</c>).</summary>
internal sealed class GenerationResponse : INativeResponse
{
    public GenerationOutput? Output { get; set; }

    public GenerationUsage? Usage { get; set; }

    public string? RequestId { get; set; }

    public string? Code { get; set; }

    public string? Message { get; set; }

    /// <inheritdoc/>
    public string? GetShapeError() => Output is null ? "the member 'output' is missing." : null;
}

/// <summary>The <c>output</c> member: choices (result_format message) or text (the legacy result_format text).</summary>
internal sealed class GenerationOutput
{
    public List<GenerationChoice>? Choices { get; set; }

    public string? Text { get; set; }

    public string? FinishReason { get; set; }
}

/// <summary>A choice.</summary>
internal sealed class GenerationChoice
{
    public string? FinishReason { get; set; }

    public DashScopeMessage? Message { get; set; }
}

/// <summary>The counts (cumulative in a stream).</summary>
internal sealed class GenerationUsage
{
    public long? InputTokens { get; set; }

    public long? OutputTokens { get; set; }

    public long? TotalTokens { get; set; }

    public PromptTokensDetails? PromptTokensDetails { get; set; }

    public OutputTokensDetails? OutputTokensDetails { get; set; }
}

/// <summary>Cached input tokens.</summary>
internal sealed class PromptTokensDetails
{
    public long? CachedTokens { get; set; }
}

/// <summary>Reasoning tokens.</summary>
internal sealed class OutputTokensDetails
{
    public long? ReasoningTokens { get; set; }
}
