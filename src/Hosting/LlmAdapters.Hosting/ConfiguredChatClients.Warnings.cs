// Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

// Warnings: configurations that are valid but most likely not what was meant.
public sealed partial class ConfiguredChatClients
{
    /// <summary>
    /// Gets the warnings about the configuration of every client, or of one: what the registered
    /// <see cref="IChatClientSettingsCheck"/>s find valid but most likely not meant (the Cost package: a model that the price
    /// catalog knows as another provider's, <c>gpt-4o-mini</c> with <c>AI:Provider = anthropic</c>, naming both keys). They are
    /// logged once, when the client is first built.
    /// </summary>
    /// <param name="name">The client, or <see langword="null"/> for all.</param>
    /// <returns>The warnings; empty when there are none (or when the configuration is invalid: see <see cref="Validate"/>).</returns>
    public IReadOnlyList<string> GetWarnings(string? name = null)
    {
        var warnings = new List<string>();
        var checks = _services.GetServices<IChatClientSettingsCheck>().ToList();
        foreach (var client in checks.Count == 0 ? [] : name is null ? Names : _configuration.Contains(name) ? [Canonical(name)] : [])
        {
            var plan = GetPlan(client);
            if (plan.Settings is not { } settings)
            {
                continue;
            }

            foreach (var check in checks)
            {
                warnings.AddRange(check.GetWarnings(settings, plan.Configuration, key => _configuration.KeyPath(client, key)));
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
