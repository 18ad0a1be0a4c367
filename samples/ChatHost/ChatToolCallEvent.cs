// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The data of an <c>event: tool</c>: the model asked for a tool, which runs now.</summary>
/// <param name="CallId">The call id, which the <c>tool_result</c> event repeats.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="Arguments">The arguments the model gave.</param>
internal sealed record ChatToolCallEvent(string CallId, string Name, JsonElement? Arguments);
