// Licensed under the MIT License.

namespace LlmAdapters.Anthropic.Internal;

/// <summary>What the response mapping must know of the request it answers.</summary>
/// <param name="ResponseToolName">The name of the forced tool that carries a structured answer, or <see langword="null"/> when none was declared.</param>
/// <param name="ResponseToolWrapped">Whether the answer is wrapped in the tool input's <c>value</c> member.</param>
internal sealed record RequestPlan(string? ResponseToolName, bool ResponseToolWrapped);
