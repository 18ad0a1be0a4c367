// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>What a <see cref="IChatPipelineStage"/> is given for one configured client.</summary>
public sealed class ChatPipelineContext
{
    private readonly Func<string?, IChatClient> _createProviderClient;
    private readonly Func<string, IChatClient>? _getFallbackClient;
    private readonly Func<string, IConfigurationSection>? _getClientSection;

    /// <summary>Initializes a new instance of the <see cref="ChatPipelineContext"/> class.</summary>
    /// <param name="settings">The client's resolved settings.</param>
    /// <param name="configuration">The client's configuration (its own keys over the shared keys).</param>
    /// <param name="stageSection">The stage's section, <c>Pipeline:{Name}</c> of <paramref name="configuration"/>.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="createProviderClient">Creates another adapter of the same client, with the given API key or the configured one.</param>
    /// <param name="getFallbackClient">Gets the inner stack of another configured client by name, or <see langword="null"/> when there is none.</param>
    /// <param name="getClientSection">
    /// Gets a section of the client's configuration outside the stage's own, with its key paths as the user wrote them and
    /// its unread keys reported, or <see langword="null"/> to take it from <paramref name="configuration"/> as it is.
    /// </param>
    public ChatPipelineContext(
        ChatClientSettings settings,
        IConfiguration configuration,
        IConfigurationSection stageSection,
        IServiceProvider services,
        Func<string?, IChatClient> createProviderClient,
        Func<string, IChatClient>? getFallbackClient = null,
        Func<string, IConfigurationSection>? getClientSection = null)
    {
        _getFallbackClient = getFallbackClient;
        _getClientSection = getClientSection;
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        Section = stageSection ?? throw new ArgumentNullException(nameof(stageSection));
        Services = services ?? throw new ArgumentNullException(nameof(services));
        _createProviderClient = createProviderClient ?? throw new ArgumentNullException(nameof(createProviderClient));
    }

    /// <summary>Gets the client's resolved settings.</summary>
    public ChatClientSettings Settings { get; }

    /// <summary>Gets the client's name.</summary>
    public string ClientName => Settings.Name;

    /// <summary>Gets the client's configuration: its own keys over the shared <c>AI</c> keys.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Gets the stage's own section (<c>Pipeline:{Name}</c>).</summary>
    public IConfigurationSection Section { get; }

    /// <summary>Gets the configuration path of the stage's section, for messages (e.g. <c>AI:Clients:welcome:Pipeline:Retry</c>).</summary>
    public string SectionPath => Section.Path;

    /// <summary>Gets the application's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// Gets the names of every configured client, this one included, for a stage whose keys name other clients (Fallback
    /// checks that each target is one); empty when the context was made without them.
    /// </summary>
    public IReadOnlyList<string> ClientNames { get; init; } = [];

    /// <summary>
    /// Gets what reads another configured client's configuration (its own keys over the shared ones; <see langword="null"/>
    /// for a name that is not configured), for a stage whose keys name other clients (Fallback follows their fallbacks to
    /// find a chain that leads back); <see langword="null"/> when the context resolves no other clients. Read it through
    /// <see cref="GetClientConfiguration"/>.
    /// </summary>
    public Func<string, IConfiguration?>? ClientConfigurations { get; init; }

    /// <summary>
    /// Gets a section of the client's configuration beside <c>Pipeline</c> that a stage reads, e.g. <c>Pricing</c>: read it
    /// through this, not through <see cref="Configuration"/>, so that its messages name the path the user wrote
    /// (<c>AI:Pricing:…</c>) and a key no stage read is reported as unknown, as in the stage's own section.
    /// </summary>
    /// <param name="key">The section's key, e.g. <c>Pricing</c>.</param>
    /// <returns>The section.</returns>
    public IConfigurationSection GetClientSection(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return _getClientSection is { } get ? get(key) : Configuration.GetSection(key);
    }

    /// <summary>Gets another configured client's configuration: its own keys over the shared <c>AI</c> keys.</summary>
    /// <param name="clientName">The other client's name.</param>
    /// <returns>The configuration, or <see langword="null"/> when no client of that name is configured or the context resolves no other clients.</returns>
    public IConfiguration? GetClientConfiguration(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return ClientConfigurations?.Invoke(clientName);
    }

    /// <summary>Creates another adapter of the same provider and settings, with no middleware.</summary>
    /// <param name="apiKey">The API key to use, or <see langword="null"/> for the configured one.</param>
    /// <returns>A new adapter; the caller owns it.</returns>
    public IChatClient CreateProviderClient(string? apiKey = null) => _createProviderClient(apiKey);

    /// <summary>
    /// Gets what another configured client contributes as a fallback target: its inner stack (the stages after
    /// <see cref="ChatPipelineOrder.Fallback"/> and its adapter) with its own model, not its whole pipeline, so that the
    /// outer stages (defaults, logging, telemetry, cache, budget, cost, tool loop, total timeout) run once, in the client
    /// the caller called.
    /// </summary>
    /// <param name="clientName">The other client's name.</param>
    /// <returns>The client; it belongs to the configured clients, not to the caller.</returns>
    /// <exception cref="InvalidOperationException">This context cannot resolve other clients.</exception>
    public IChatClient GetFallbackClient(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return _getFallbackClient is { } get ? get(clientName) : throw new InvalidOperationException("This pipeline context resolves no other clients.");
    }
}
