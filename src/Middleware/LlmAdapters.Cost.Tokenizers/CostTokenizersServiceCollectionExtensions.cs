// Licensed under the MIT License.

using LlmAdapters;
using LlmAdapters.Cost;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OpenAI's tokenizers as the token estimator of budgets and token limits.</summary>
public static class CostTokenizersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TiktokenTokenEstimator.Default"/> as the <see cref="ITokenEstimator"/> that budgets, run budgets
    /// and the tokens-per-minute limiter reserve with: exact counts for OpenAI models, the character heuristic
    /// (<see cref="ApproximateTokenEstimator"/>) for the others. It replaces the heuristic that <c>AddCostChatPipelineStages</c>
    /// registers, whichever is called first; an estimator the application registered itself is kept. Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTiktokenTokenEstimator(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.FirstOrDefault(d => d.ServiceType == typeof(ITokenEstimator));
        if (registered is not null)
        {
            if (!ReferenceEquals(registered.ImplementationInstance, ApproximateTokenEstimator.Instance))
            {
                return services; // the application's own estimator, or this one already
            }

            services.Remove(registered);
        }

        services.TryAddSingleton<ITokenEstimator>(TiktokenTokenEstimator.Default);
        return services;
    }
}
