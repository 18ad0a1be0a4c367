// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>Finding a client's provider descriptor (its health probe, its own keys).</summary>
public sealed partial class ConfiguredChatClients
{
    /// <summary>Gets the descriptor a provider name selects: an application's own over the built-in one of the same name.</summary>
    /// <param name="provider">The provider name.</param>
    /// <returns>The descriptor, or <see langword="null"/>.</returns>
    internal IChatProviderFactory? FindProvider(string provider)
    {
        var matches = Providers.Where(p => string.Equals(p.Name, provider.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.LastOrDefault(p => p is not PackageChatProviderFactory) ?? matches.LastOrDefault();
    }

    /// <summary>Gets a client's configuration (its own keys over the shared ones), for its provider's health probe.</summary>
    /// <param name="name">The client name.</param>
    /// <returns>The configuration.</returns>
    internal Microsoft.Extensions.Configuration.IConfiguration GetClientConfiguration(string name) => GetPlan(name).Configuration;

    /// <summary>Gets how many times a client's view of the configuration was built (once per client; tests count them).</summary>
    internal int ConfigurationFlattenings => _configuration.Flattenings;

    /// <summary>Gets how many client plans were read (once per client; tests count them).</summary>
    internal int PlanCount => _plans.Count(p => p.Value.IsValueCreated);
}
