// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>Combines the usage reports of one streamed response by the provider's <see cref="UsageMergeRule"/>.</summary>
public static class NativeUsage
{
    /// <summary>Merges a later usage report into what was seen so far.</summary>
    /// <param name="current">The usage so far, or <see langword="null"/>; not modified.</param>
    /// <param name="update">The later report, or <see langword="null"/>.</param>
    /// <param name="rule">The provider's rule.</param>
    /// <returns>The merged usage (a new instance when both are set).</returns>
    public static UsageDetails? Merge(UsageDetails? current, UsageDetails? update, UsageMergeRule rule)
    {
        if (update is null)
        {
            return current;
        }

        if (current is null || rule == UsageMergeRule.Last)
        {
            return update;
        }

        var merged = new UsageDetails
        {
            InputTokenCount = Combine(current.InputTokenCount, update.InputTokenCount, rule),
            OutputTokenCount = Combine(current.OutputTokenCount, update.OutputTokenCount, rule),
            TotalTokenCount = Combine(current.TotalTokenCount, update.TotalTokenCount, rule),
            CachedInputTokenCount = Combine(current.CachedInputTokenCount, update.CachedInputTokenCount, rule),
            ReasoningTokenCount = Combine(current.ReasoningTokenCount, update.ReasoningTokenCount, rule),
        };

        if (current.AdditionalCounts is not null || update.AdditionalCounts is not null)
        {
            var counts = new AdditionalPropertiesDictionary<long>();
            foreach (var pair in current.AdditionalCounts ?? [])
            {
                counts[pair.Key] = pair.Value;
            }

            foreach (var pair in update.AdditionalCounts ?? [])
            {
                counts[pair.Key] = rule == UsageMergeRule.Sum && counts.TryGetValue(pair.Key, out var existing) ? existing + pair.Value : pair.Value;
            }

            merged.AdditionalCounts = counts;
        }

        return merged;
    }

    private static long? Combine(long? current, long? update, UsageMergeRule rule) => rule switch
    {
        UsageMergeRule.Sum when current is not null && update is not null => current + update,
        _ => update ?? current,
    };
}
