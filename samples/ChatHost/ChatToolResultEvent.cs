// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The data of an <c>event: tool_result</c>: what a tool returned, sent back to the model.</summary>
/// <param name="CallId">The call id of the <c>tool</c> event.</param>
/// <param name="Result">The result as text.</param>
internal sealed record ChatToolResultEvent(string CallId, string? Result);
