// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The data of the final <c>event: done</c> of a stream.</summary>
/// <param name="Model">The model that answered.</param>
/// <param name="Usage">The token counts, when reported.</param>
/// <param name="Cost">The cost, or <see langword="null"/> when unknown.</param>
/// <param name="FinishReason">Why the reply ended.</param>
internal sealed record ChatDoneEvent(string? Model, ChatUsageInfo? Usage, ChatCostInfo? Cost, string? FinishReason);
