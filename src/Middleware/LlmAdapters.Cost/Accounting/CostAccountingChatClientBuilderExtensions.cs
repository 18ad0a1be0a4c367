// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Cost;

/// <summary>Adds <see cref="CostAccountingChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class CostAccountingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds cost accounting. Unset options are taken from the services: <see cref="PriceCatalog"/>, <see cref="ICostLedger"/>,
    /// <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseCostAccounting(this ChatClientBuilder builder, Action<CostAccountingChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new CostAccountingChatClientOptions
            {
                Catalog = services.GetService<PriceCatalog>() ?? PriceCatalog.Default,
                Ledger = services.GetService<ICostLedger>(),
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            };
            configure?.Invoke(options);
            return Create(inner, services, options);
        });
    }

    /// <summary>Adds cost accounting with the given options, used as they are (only the <see cref="ILoggerFactory"/> is taken from the services).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is null.</exception>
    public static ChatClientBuilder UseCostAccounting(this ChatClientBuilder builder, CostAccountingChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use((inner, services) => Create(inner, services, options));
    }

    private static CostAccountingChatClient Create(IChatClient inner, IServiceProvider services, CostAccountingChatClientOptions options) =>
        new(inner, options, services.GetService<ILoggerFactory>()?.CreateLogger<CostAccountingChatClient>());
}
