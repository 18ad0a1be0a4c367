// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>A tool call the emulator makes.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="ArgumentsJson">The arguments, as a JSON object.</param>
public sealed record EmulatorToolCall(string Name, string ArgumentsJson);
