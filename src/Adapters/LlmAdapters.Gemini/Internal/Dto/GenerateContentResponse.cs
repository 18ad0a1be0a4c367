// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>A <c>GenerateContentResponse</c>: the whole answer, or one streamed chunk.</summary>
internal sealed class GenerateContentResponse : INativeResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }

    public PromptFeedback? PromptFeedback { get; set; }

    public UsageMetadata? UsageMetadata { get; set; }

    public string? ModelVersion { get; set; }

    public string? ResponseId { get; set; }

    /// <summary>An error reported inside a successful stream (<c>{"error":{"code","message","status"}}</c>).</summary>
    public JsonElement? Error { get; set; }

    /// <inheritdoc/>
    /// <remarks>
    /// An answer has <c>candidates</c> or a <c>promptFeedback</c> (a blocked prompt has no candidate); a candidate has
    /// <c>content</c> or a <c>finishReason</c> (a filtered answer has no content). <c>{"foo":1}</c>, an OpenAI body
    /// (<c>choices</c>), or <c>content: null</c> with no finish reason are not answers.
    /// </remarks>
    public string? GetShapeError()
    {
        if (Candidates is null)
        {
            return PromptFeedback is null ? "it has neither \"candidates\" nor \"promptFeedback\"." : null;
        }

        foreach (var candidate in Candidates)
        {
            if (candidate is null)
            {
                return "a candidate is null.";
            }

            if (candidate.Content is null && candidate.FinishReason is null)
            {
                return "a candidate has neither \"content\" nor \"finishReason\".";
            }
        }

        return null;
    }
}

/// <summary>A <c>Candidate</c>.</summary>
internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }

    public string? FinishReason { get; set; }

    public string? FinishMessage { get; set; }

    public JsonElement? GroundingMetadata { get; set; }

    public int? Index { get; set; }
}

/// <summary>The <c>promptFeedback</c> member.</summary>
internal sealed class PromptFeedback
{
    public string? BlockReason { get; set; }

    public string? BlockReasonMessage { get; set; }
}

/// <summary>The <c>usageMetadata</c> member: cumulative in every streamed chunk.</summary>
internal sealed class UsageMetadata
{
    public long? PromptTokenCount { get; set; }

    public long? CandidatesTokenCount { get; set; }

    public long? TotalTokenCount { get; set; }

    public long? CachedContentTokenCount { get; set; }

    public long? ThoughtsTokenCount { get; set; }

    public long? ToolUsePromptTokenCount { get; set; }
}
