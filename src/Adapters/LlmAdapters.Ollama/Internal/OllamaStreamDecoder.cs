// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Internal;

/// <summary>
/// Turns the NDJSON lines of one streamed <c>/api/chat</c> answer into <see cref="ChatResponseUpdate"/>s: one update per
/// line, tool calls complete as the server sends them, and the <c>done</c> line with the finish reason, usage and durations.
/// </summary>
/// <remarks>
/// The hot line (<c>done: false</c>, text or thinking only, the same model as the line before) is read from its bytes by
/// <see cref="OllamaTextLine"/>, without the DTO graph; its update carries no <see cref="ChatResponseUpdate.RawRepresentation"/>.
/// </remarks>
internal sealed class OllamaStreamDecoder(TimeProvider timeProvider, bool fastPath = true) : INativeStreamDecoder
{
    private bool _sawToolCalls;
    private string? _model;

    /// <inheritdoc/>
    public NativeStreamFormat Format => NativeStreamFormat.NewlineDelimitedJson;

    /// <inheritdoc/>
    public string TerminalEventName => "the \"done\": true line";

    /// <inheritdoc/>
    public bool Completed { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ChatProviderException">The line is an <c>{"error": …}</c> line.</exception>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (fastPath && _model is not null && OllamaTextLine.TryRead(data, _model, out var text, out var thinking, out var createdAt))
        {
            var hasThinking = !string.IsNullOrEmpty(thinking);
            var hasText = !string.IsNullOrEmpty(text);
            IList<AIContent> fastContents = hasThinking && hasText ? [new TextReasoningContent(thinking), new TextContent(text)]
                : hasThinking ? [new TextReasoningContent(thinking)]
                : hasText ? [new TextContent(text)]
                : [];
            return new ChatResponseUpdate(ChatRole.Assistant, fastContents)
            {
                ModelId = _model,
                CreatedAt = createdAt,
            };
        }

        var line = JsonSerializer.Deserialize(data, OllamaJsonContext.Default.OllamaChatResponse)
            ?? throw new JsonException("A line of the stream is JSON null.");
        OllamaMapper.ThrowIfError(line, HttpStatusCode.OK);
        if (line.GetShapeError() is { } shapeError)
        {
            throw NativeErrors.InvalidShape(OllamaConstants.ProviderName, shapeError, HttpStatusCode.OK);
        }

        _model = line.Model;
        var contents = OllamaMapper.Contents(line.Message, out var hasToolCalls);
        _sawToolCalls |= hasToolCalls;
        var update = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            ModelId = line.Model,
            CreatedAt = line.CreatedAt ?? timeProvider.GetUtcNow(),
            RawRepresentation = line,
        };

        if (line.Done == true)
        {
            Completed = true;

            // The done line comes after the tool calls: the finish reason remembers them.
            // A done line with neither a message nor a done_reason finishes nothing (see OllamaMapper.ToChatResponse).
            update.FinishReason = line.Message is null && line.DoneReason is null && !_sawToolCalls ? null : OllamaMapper.FinishReason(line.DoneReason, done: true, _sawToolCalls);
            if (OllamaMapper.Usage(line) is { } usage)
            {
                update.Contents.Add(new UsageContent(usage));
            }

            update.AdditionalProperties = OllamaMapper.Metrics(line);
        }

        return update;
    }
}
