// Licensed under the MIT License.

using LlmAdapters;
using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers cost accounting and budgets with configured chat clients.</summary>
public static class CostServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>CostAccounting</c> and <c>Budget</c> stages, one ledger the host can query for every client's cost
    /// (<see cref="ICostLedger"/>, in memory unless one is registered), the token estimator shared by token limits and budgets
    /// (<see cref="ITokenEstimator"/>: <see cref="ApproximateTokenEstimator"/> unless one is registered; LlmAdapters.Cost.Tokenizers
    /// brings OpenAI's tokenizers), the prices of the LowestCost routing strategy (<see cref="IModelPriceLookup"/>: a
    /// registered <see cref="PriceCatalog"/> or the shipped one), each tool-loop run's cost and run budget
    /// (<see cref="IToolRunAccountingFactory"/>: <see cref="ChatRunTotals"/>, <see cref="RunBudget"/>), the rule that an answer served from the cache costs nothing, and the warning about a
    /// model the price catalog knows as another provider's. Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddCostChatPipelineStages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ICostLedger, InMemoryCostLedger>();
        // The character heuristic; LlmAdapters.Cost.Tokenizers' AddTiktokenTokenEstimator replaces it with OpenAI's tokenizers.
        services.TryAddSingleton<ITokenEstimator>(ApproximateTokenEstimator.Instance);

        // The prices the Fallback stage's LowestCost routing compares (Resilience reads them through this seam of Core).
        services.TryAddSingleton<IModelPriceLookup>(sp => sp.GetService<PriceCatalog>() ?? PriceCatalog.Default);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatCacheHitRule, CachedAnswerCostRule>());

        // Each tool-loop run's cost and run budget (AI:Pipeline:Budget:Run), through Hosting's FunctionInvocation stage.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IToolRunAccountingFactory, RunAccountingFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatClientSettingsCheck, PriceCatalogModelCheck>());
        services.AddChatPipelineStage(new CostAccountingChatPipelineStage());
        services.AddChatPipelineStage(new ChatSpanCostChatPipelineStage());
        services.AddChatPipelineStage(new BudgetChatPipelineStage());
        return services;
    }

    /// <summary>An answer served from the cache cost nothing: the provider was not called (its usage stays, for the record).</summary>
    private sealed class CachedAnswerCostRule : IChatCacheHitRule
    {
        public void Apply(ChatResponse response) => response.SetCost(ChatCost.Cached(response.ModelId));

        public void Apply(ChatResponseUpdate update)
        {
            if (update.AdditionalProperties?.ContainsKey(ChatCostExtensions.CostKey) == true)
            {
                update.SetCost(ChatCost.Cached(update.ModelId));
            }
        }
    }

    /// <summary>A configured model the price catalog knows as another provider's (<c>gpt-4o-mini</c> with <c>anthropic</c>) is most likely a mistake.</summary>
    private sealed class PriceCatalogModelCheck(IServiceProvider services) : IChatClientSettingsCheck
    {
        public IEnumerable<string> GetWarnings(ChatClientSettings settings, IConfiguration configuration, Func<string, string> pathOf)
        {
            if (settings.Model is not { } model || configuration["Model"] is null)
            {
                yield break;
            }

            var catalog = services.GetService<PriceCatalog>() ?? PriceCatalog.Default;
            if (catalog.GetPrice(model)?.Provider is { } owner
                && !string.Equals(owner, settings.Provider, StringComparison.OrdinalIgnoreCase)
                && catalog.Prices.Any(p => string.Equals(p.Provider, settings.Provider, StringComparison.OrdinalIgnoreCase)))
            {
                yield return
                    $"{pathOf("Model")} is '{model}', a model of '{owner}' in the price catalog, but {pathOf("Provider")} is '{settings.Provider}': " +
                    $"set the model with the provider (or remove {pathOf("Model")} to use the default model of '{settings.Provider}').";
            }
        }
    }
}
