// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>The accounting of one configured client's runs: its prices, token estimator and default model.</summary>
internal sealed class RunAccounting(PriceCatalog catalog, ITokenEstimator tokenEstimator, string? defaultModelId) : IToolRunAccounting
{
    public PriceCatalog Catalog { get; } = catalog;

    public ITokenEstimator TokenEstimator { get; } = tokenEstimator;

    public string? DefaultModelId { get; } = defaultModelId;

    public IToolRunAccount? Start(ChatOptions? options, bool isRun)
    {
        var budget = options.GetRunBudget();
        return isRun || budget is not null ? new RunAccount(this, budget) : null;
    }
}
