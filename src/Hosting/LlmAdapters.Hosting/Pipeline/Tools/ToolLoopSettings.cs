// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>What the tool loop of one configured client needs beside M.E.AI's own settings: its limits, its runs' accounting (if a package brings one) and clock.</summary>
internal sealed record ToolLoopSettings(
    int MaximumIterations,
    int MaximumConsecutiveErrors,
    IToolRunAccounting? Accounting,
    TimeProvider TimeProvider);
