// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Native;

namespace LlmAdapters.Ollama.Internal.Dto;

/// <summary>A non-streamed answer of <c>/api/chat</c>, or one NDJSON line of a streamed one (or an <c>{"error": …}</c> line).</summary>
internal sealed class OllamaChatResponse : INativeResponse
{
    [JsonPropertyName("model")]
    public string? Model { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("message")]
    public OllamaMessage? Message { get; set; }

    [JsonPropertyName("done")]
    public bool? Done { get; set; }

    [JsonPropertyName("done_reason")]
    public string? DoneReason { get; set; }

    [JsonPropertyName("total_duration")]
    public long? TotalDuration { get; set; }

    [JsonPropertyName("load_duration")]
    public long? LoadDuration { get; set; }

    [JsonPropertyName("prompt_eval_count")]
    public long? PromptEvalCount { get; set; }

    [JsonPropertyName("prompt_eval_duration")]
    public long? PromptEvalDuration { get; set; }

    [JsonPropertyName("eval_count")]
    public long? EvalCount { get; set; }

    [JsonPropertyName("eval_duration")]
    public long? EvalDuration { get; set; }

    /// <summary>Gets or sets the error of an error line (a string, sometimes an object).</summary>
    [JsonPropertyName("error")]
    public JsonElement? Error { get; set; }

    /// <inheritdoc/>
    public string? GetShapeError() =>
        Error is not null ? null
        : Done is null ? "the member 'done' is missing."
        : Message is null && Done == false ? "the member 'message' is missing."
        : null;
}
