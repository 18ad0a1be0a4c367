// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// A configured client as read from configuration, once: its view of the configuration (flattened once), its settings,
/// its provider, its enabled stages with the options each read from its section, and every problem found. Kept per client
/// name by <see cref="ConfiguredChatClients"/>, and used by validation, the pipeline, the inner stack, the warnings and the
/// health check alike.
/// </summary>
/// <param name="Configuration">The client's view of the configuration: its own keys over the shared ones.</param>
/// <param name="Settings">The resolved settings, or <see langword="null"/> when they have errors.</param>
/// <param name="Factory">The provider's descriptor, when found.</param>
/// <param name="Stages">The enabled stages, outermost first.</param>
/// <param name="Errors">Every problem found, each naming its key.</param>
/// <param name="ProviderDefaultEndpoint">
/// The provider's default endpoint the settings took (no endpoint configured), or <see langword="null"/>: a provider may
/// learn its endpoint only once the host runs (the samples' emulator), after the plan was read for validation at start, so
/// the adapter and the health probe take the provider's endpoint of the moment.
/// </param>
internal sealed record ChatClientPlan(
    Microsoft.Extensions.Configuration.IConfiguration Configuration,
    ChatClientSettings? Settings,
    IChatProviderFactory? Factory,
    IReadOnlyList<ChatPipelineStagePlan> Stages,
    IReadOnlyList<string> Errors,
    Uri? ProviderDefaultEndpoint = null)
{
    /// <summary>Gets the settings as of now: the planned ones, with the provider's current default endpoint when they took its default.</summary>
    public ChatClientSettings? CurrentSettings =>
        Settings is { } settings && ProviderDefaultEndpoint is { } planned && settings.Endpoint == planned &&
        Factory?.DefaultEndpoint is { } now && now != planned
            ? settings with { Endpoint = now }
            : Settings;

    /// <summary>Returns this plan, or throws with every problem when it has any.</summary>
    public ChatClientPlan ThrowIfInvalid()
    {
        ConfiguredChatClients.ThrowIfAny(Errors);
        return this;
    }
}
