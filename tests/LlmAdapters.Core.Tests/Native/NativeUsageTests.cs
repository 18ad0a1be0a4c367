// Licensed under the MIT License.

using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Core.Tests.Native;

public sealed class NativeUsageTests
{
    private static UsageDetails Usage(long? input, long? output, long? reasoning = null, long extra = 0) => new()
    {
        InputTokenCount = input,
        OutputTokenCount = output,
        ReasoningTokenCount = reasoning,
        AdditionalCounts = extra > 0 ? new() { ["x"] = extra } : null,
    };

    [Fact]
    public void Merge_Last_TakesTheLaterReportWhole()
    {
        var merged = NativeUsage.Merge(Usage(10, 1, 5), Usage(10, 7), UsageMergeRule.Last)!;

        Assert.Equal(10, merged.InputTokenCount);
        Assert.Equal(7, merged.OutputTokenCount);
        Assert.Null(merged.ReasoningTokenCount);
    }

    [Fact]
    public void Merge_Overwrite_KeepsWhatTheLaterReportDoesNotState()
    {
        var merged = NativeUsage.Merge(Usage(10, 1, 5, extra: 2), Usage(null, 7), UsageMergeRule.Overwrite)!;

        Assert.Equal(10, merged.InputTokenCount);
        Assert.Equal(7, merged.OutputTokenCount);
        Assert.Equal(5, merged.ReasoningTokenCount);
        Assert.Equal(2, merged.AdditionalCounts!["x"]);
    }

    [Fact]
    public void Merge_Sum_AddsEveryCount()
    {
        var merged = NativeUsage.Merge(Usage(10, 1, extra: 2), Usage(null, 7, 3, extra: 4), UsageMergeRule.Sum)!;

        Assert.Equal(10, merged.InputTokenCount);
        Assert.Equal(8, merged.OutputTokenCount);
        Assert.Equal(3, merged.ReasoningTokenCount);
        Assert.Equal(6, merged.AdditionalCounts!["x"]);
    }

    [Fact]
    public void Merge_Nulls_ReturnTheOther()
    {
        var usage = Usage(1, 2);
        Assert.Same(usage, NativeUsage.Merge(null, usage, UsageMergeRule.Sum));
        Assert.Same(usage, NativeUsage.Merge(usage, null, UsageMergeRule.Sum));
    }
}
