// Licensed under the MIT License.

using LlmAdapters.Cost;

namespace LlmAdapters.Hosting;

/// <summary>What the tool loop of one configured client needs beside M.E.AI's own settings: its limits, prices, estimator and clock.</summary>
internal sealed record ToolLoopSettings(
    int MaximumIterations,
    int MaximumConsecutiveErrors,
    PriceCatalog Catalog,
    ITokenEstimator TokenEstimator,
    TimeProvider TimeProvider,
    string? DefaultModelId);
