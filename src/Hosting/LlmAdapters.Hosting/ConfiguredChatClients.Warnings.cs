// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

// Warnings: configurations that are valid but most likely not what was meant.
public sealed partial class ConfiguredChatClients
{
    /// <summary>
    /// Gets the warnings about the configuration of every client, or of one: a model that the price catalog knows as
    /// another provider's (<c>gpt-4o-mini</c> with <c>AI:Provider = anthropic</c>), naming both keys. They are logged
    /// once, when the client is first built.
    /// </summary>
    /// <param name="name">The client, or <see langword="null"/> for all.</param>
    /// <returns>The warnings; empty when there are none (or when the configuration is invalid: see <see cref="Validate"/>).</returns>
    public IReadOnlyList<string> GetWarnings(string? name = null)
    {
        var warnings = new List<string>();
        foreach (var client in name is null ? Names : _configuration.Contains(name) ? [Canonical(name)] : [])
        {
            var settings = ResolveSettings(client, [], out _);
            if (settings?.Model is not { } model || _configuration.GetClientConfiguration(client)["Model"] is null)
            {
                continue;
            }

            var catalog = _services.GetService<PriceCatalog>() ?? PriceCatalog.Default;
            if (catalog.GetPrice(model)?.Provider is { } owner
                && !string.Equals(owner, settings.Provider, StringComparison.OrdinalIgnoreCase)
                && catalog.Prices.Any(p => string.Equals(p.Provider, settings.Provider, StringComparison.OrdinalIgnoreCase)))
            {
                warnings.Add(
                    $"{_configuration.KeyPath(client, "Model")} is '{model}', a model of '{owner}' in the price catalog, but {_configuration.KeyPath(client, "Provider")} is '{settings.Provider}': " +
                    $"set the model with the provider (or remove {_configuration.KeyPath(client, "Model")} to use the default model of '{settings.Provider}').");
            }
        }

        return warnings;
    }

    private void LogWarnings(string name, IServiceProvider services)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<ConfiguredChatClients>();
        if (logger is null)
        {
            return;
        }

        foreach (var warning in GetWarnings(name))
        {
            Log.ConfigurationWarning(logger, warning);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9010, EventName = "ConfigurationWarning", Level = LogLevel.Warning, Message = "{Warning}")]
        public static partial void ConfigurationWarning(ILogger logger, string warning);
    }
}
