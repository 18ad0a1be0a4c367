// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;

namespace LlmAdapters.Ollama.Internal.Dto;

/// <summary>A non-streamed answer of <c>/api/chat</c>, or one NDJSON line of a streamed one (or an <c>{"error": …}</c> line).</summary>
internal sealed class OllamaChatResponse : INativeResponse
{
    public string? Model { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public OllamaMessage? Message { get; set; }

    public bool? Done { get; set; }

    public string? DoneReason { get; set; }

    public long? TotalDuration { get; set; }

    public long? LoadDuration { get; set; }

    public long? PromptEvalCount { get; set; }

    public long? PromptEvalDuration { get; set; }

    public long? EvalCount { get; set; }

    public long? EvalDuration { get; set; }

    /// <summary>Gets or sets the error of an error line (a string, sometimes an object).</summary>
    public JsonElement? Error { get; set; }

    /// <inheritdoc/>
    public string? GetShapeError() =>
        Error is not null ? null
        : Done is null ? "the member 'done' is missing."
        : Message is null && Done == false ? "the member 'message' is missing."
        : null;
}
