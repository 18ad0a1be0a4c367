// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Native;

namespace LlmAdapters.Gemini.Internal.Dto;

/// <summary>A <c>GenerateContentResponse</c>: the whole answer, or one streamed chunk.</summary>
internal sealed class GenerateContentResponse : INativeResponse
{
    [JsonPropertyName("candidates")]
    public List<GeminiCandidate>? Candidates { get; set; }

    [JsonPropertyName("promptFeedback")]
    public PromptFeedback? PromptFeedback { get; set; }

    [JsonPropertyName("usageMetadata")]
    public UsageMetadata? UsageMetadata { get; set; }

    [JsonPropertyName("modelVersion")]
    public string? ModelVersion { get; set; }

    [JsonPropertyName("responseId")]
    public string? ResponseId { get; set; }

    /// <summary>An error reported inside a successful stream (<c>{"error":{"code","message","status"}}</c>).</summary>
    [JsonPropertyName("error")]
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
    [JsonPropertyName("content")]
    public GeminiContent? Content { get; set; }

    [JsonPropertyName("finishReason")]
    public string? FinishReason { get; set; }

    [JsonPropertyName("finishMessage")]
    public string? FinishMessage { get; set; }

    [JsonPropertyName("groundingMetadata")]
    public JsonElement? GroundingMetadata { get; set; }

    [JsonPropertyName("index")]
    public int? Index { get; set; }
}

/// <summary>The <c>promptFeedback</c> member.</summary>
internal sealed class PromptFeedback
{
    [JsonPropertyName("blockReason")]
    public string? BlockReason { get; set; }

    [JsonPropertyName("blockReasonMessage")]
    public string? BlockReasonMessage { get; set; }
}

/// <summary>The <c>usageMetadata</c> member: cumulative in every streamed chunk.</summary>
internal sealed class UsageMetadata
{
    [JsonPropertyName("promptTokenCount")]
    public long? PromptTokenCount { get; set; }

    [JsonPropertyName("candidatesTokenCount")]
    public long? CandidatesTokenCount { get; set; }

    [JsonPropertyName("totalTokenCount")]
    public long? TotalTokenCount { get; set; }

    [JsonPropertyName("cachedContentTokenCount")]
    public long? CachedContentTokenCount { get; set; }

    [JsonPropertyName("thoughtsTokenCount")]
    public long? ThoughtsTokenCount { get; set; }

    [JsonPropertyName("toolUsePromptTokenCount")]
    public long? ToolUsePromptTokenCount { get; set; }
}
