// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>A request, whatever its dialect, as the deterministic model sees it.</summary>
internal sealed class EmulatorConversation
{
    public string Model { get; init; } = "emulator-1";

    public string? System { get; init; }

    public List<EmulatorMessage> Messages { get; } = [];

    public List<EmulatorTool> Tools { get; } = [];

    public bool Stream { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>Gets a value indicating whether the request asked for reasoning (thinking).</summary>
    public bool Thinking { get; init; }

    /// <summary>Gets a value indicating whether the request asked for a JSON answer.</summary>
    public bool Json { get; init; }

    /// <summary>Gets a value indicating whether the request forbids tool calls (tool_choice none).</summary>
    public bool ToolsDisabled { get; init; }
}

/// <summary>One message of an <see cref="EmulatorConversation"/>.</summary>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Text">The message's text.</param>
internal sealed record EmulatorMessage(string Role, string Text)
{
    public List<EmulatorToolCall> ToolCalls { get; } = [];

    /// <summary>Gets the tool results carried by the message: tool name or call id, and result text.</summary>
    public List<(string CallId, string Result)> ToolResults { get; } = [];

    /// <summary>Gets or sets the reasoning text the assistant sent back (thinking round-trip), if any.</summary>
    public string? Reasoning { get; set; }

    /// <summary>Gets or sets the signature of the returned reasoning, if any.</summary>
    public string? ReasoningSignature { get; set; }
}

/// <summary>A tool offered to the model.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="ParametersJson">The JSON schema of its parameters.</param>
internal sealed record EmulatorTool(string Name, string? ParametersJson);
