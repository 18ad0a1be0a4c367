// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>The model's answer, whatever the dialect that will carry it.</summary>
internal sealed class EmulatorTurn
{
    public required string Id { get; init; }

    public required string Model { get; init; }

    public string Text { get; init; } = string.Empty;

    /// <summary>Gets the text in the pieces a stream sends.</summary>
    public IReadOnlyList<string> TextChunks { get; init; } = [];

    public string? Reasoning { get; init; }

    public IReadOnlyList<string> ReasoningChunks { get; init; } = [];

    public string? ReasoningSignature { get; init; }

    public IReadOnlyList<(string Id, EmulatorToolCall Call)> ToolCalls { get; init; } = [];

    /// <summary>Gets the neutral finish reason: stop, length, tool_calls or content_filter.</summary>
    public string FinishReason { get; init; } = "stop";

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public int ReasoningTokens { get; init; }

    public long Created { get; init; }
}
