// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Cost;

/// <summary>Adds <see cref="BudgetChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class BudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Adds budgets. Unset options are taken from the services: <see cref="IBudgetStore"/>, <see cref="PriceCatalog"/>,
    /// <see cref="LlmAdapters.ITokenEstimator"/> and <see cref="ILoggerFactory"/>. With no limits, the builder is returned unchanged.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options (add limits to <see cref="BudgetChatClientOptions.Limits"/>).</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseBudget(this ChatClientBuilder builder, Action<BudgetChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use((inner, services) =>
        {
            var options = new BudgetChatClientOptions
            {
                Store = services.GetService<IBudgetStore>(),
                Catalog = services.GetService<PriceCatalog>() ?? PriceCatalog.Default,
                TokenEstimator = services.GetService<LlmAdapters.ITokenEstimator>() ?? ApproximateTokenEstimator.Instance,
            };
            configure(options);
            return options.Limits.Count == 0 ? inner : Create(inner, services, options);
        });
    }

    /// <summary>Adds budgets with the given options, used as they are (only the <see cref="ILoggerFactory"/> is taken from the services).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; with no limits the builder is returned unchanged in effect.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is null.</exception>
    public static ChatClientBuilder UseBudget(this ChatClientBuilder builder, BudgetChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use((inner, services) => options.Limits.Count == 0 ? inner : Create(inner, services, options));
    }

    private static BudgetChatClient Create(IChatClient inner, IServiceProvider services, BudgetChatClientOptions options) =>
        new(inner, options, services.GetService<ILoggerFactory>()?.CreateLogger<BudgetChatClient>());
}
