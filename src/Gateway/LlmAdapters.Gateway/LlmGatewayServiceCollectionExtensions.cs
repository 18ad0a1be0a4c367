// Licensed under the MIT License.

using LlmAdapters;
using LlmAdapters.Gateway;
using LlmAdapters.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the LLM gateway's services (the endpoints are <see cref="LlmGatewayEndpointRouteBuilderExtensions.MapLlmGateway"/>).</summary>
public static class LlmGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway over the configured chat clients (<c>AddConfiguredChatClients</c>, which the application calls
    /// too): the virtual keys of <c>{section}:Keys:{name}</c> (<c>KeyHash</c>, <c>Clients</c>, <c>Tenant</c>,
    /// <c>Budget</c>, <c>RateLimit</c>), <c>{section}:Aliases</c> and <c>{section}:MaxRequestBodyBytes</c>, validated when
    /// the host starts (an <see cref="OptionsValidationException"/> naming each key path).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The gateway's section, usually <c>Gateway</c>.</param>
    /// <returns>The services.</returns>
    /// <remarks>A key is configured by the SHA-256 of its value only; the key itself is never stored, logged or echoed.</remarks>
    public static IServiceCollection AddLlmGateway(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = GatewayOptions.Read(section);
        services.AddSingleton(sp => new GatewayState(
            options,
            sp.GetRequiredService<ConfiguredChatClients>(),
            sp,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILoggerFactory>()?.CreateLogger("LlmAdapters.Gateway") ?? NullLogger.Instance));
        services.AddHostedService(sp => new GatewayStartupCheck(sp.GetRequiredService<GatewayState>(), section.Path));
        return services;
    }
}
