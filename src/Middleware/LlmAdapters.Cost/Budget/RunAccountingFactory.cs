// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Cost;

/// <summary>
/// Cost's part of the FunctionInvocation stage's runs, through Hosting.Abstractions' seam: each run's cost (its
/// <see cref="ChatRunTotals"/>) and its run budget (<see cref="RunBudget"/>). Registered by <c>AddCostChatPipelineStages</c>.
/// </summary>
internal sealed class RunAccountingFactory : IToolRunAccountingFactory
{
    public IToolRunAccounting? Create(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.Services;
        return new RunAccounting(
            Catalog(context),
            services.GetService<ITokenEstimator>() ?? ApproximateTokenEstimator.Instance,
            context.Settings.Model);
    }

    // The run's totals are priced like cost accounting prices (AI:Pricing over the PriceCatalog service); a bad
    // AI:Pricing is reported once, by the CostAccounting stage.
    private static PriceCatalog Catalog(ChatPipelineContext context)
    {
        var catalog = context.Services.GetService<PriceCatalog>() ?? PriceCatalog.Default;
        var section = context.GetClientSection("Pricing");
        return section.GetChildren().Any() && catalog.Validate(section).Count == 0 ? catalog.WithConfiguration(section) : catalog;
    }
}
