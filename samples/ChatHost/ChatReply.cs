// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The answer of <c>POST /chat/{client}</c>: the reply and its figures.</summary>
/// <param name="Text">The reply text.</param>
/// <param name="Model">The model that answered, as the provider named it.</param>
/// <param name="Usage">The token counts, when the provider reported them.</param>
/// <param name="Cost">The cost, or <see langword="null"/> when unknown (no price for the model).</param>
/// <param name="FinishReason">Why the reply ended: <c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>.</param>
internal sealed record ChatReply(string Text, string? Model, ChatUsageInfo? Usage, ChatCostInfo? Cost, string? FinishReason);
