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

    /// <summary>Gets the service tier the response reports, if any.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>Gets a JSON object whose members are added to the usage object, if any.</summary>
    public string? UsageJson { get; init; }

    /// <summary>Adds <see cref="UsageJson"/>'s members to a dialect's usage object.</summary>
    /// <param name="usage">The usage object.</param>
    /// <returns>The same object.</returns>
    public System.Text.Json.Nodes.JsonObject WithExtraUsage(System.Text.Json.Nodes.JsonObject usage)
    {
        if (UsageJson is { Length: > 0 } json && System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonObject extra)
        {
            foreach (var (key, value) in extra.ToList())
            {
                _ = extra.Remove(key);
                usage[key] = value;
            }
        }

        return usage;
    }
}
