// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The token counts of a reply.</summary>
/// <param name="InputTokens">The prompt tokens.</param>
/// <param name="OutputTokens">The reply tokens.</param>
/// <param name="TotalTokens">Both.</param>
internal sealed record ChatUsageInfo(long? InputTokens, long? OutputTokens, long? TotalTokens)
{
    public static ChatUsageInfo? From(UsageDetails? usage) =>
        usage is null ? null : new(usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount ?? usage.InputTokenCount + usage.OutputTokenCount);
}
