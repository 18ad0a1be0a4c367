// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Native;

/// <summary>
/// The descriptor of a native adapter, written once: name, key variables, default endpoint and model, the provider's own
/// configuration keys (plus <see cref="ResponseSizeLimit.ConfigurationKey"/>, checked here), and the adapter built from
/// <typeparamref name="TOptions"/> filled with the client's settings. A provider's descriptor derives from it and adds
/// only what its provider reads (<see cref="Configure"/>) and how its adapter is made (<see cref="CreateClient(TOptions, ChatProviderContext)"/>).
/// </summary>
/// <typeparam name="TOptions">The adapter's options.</typeparam>
public abstract class NativeChatProviderFactory<TOptions> : IChatProviderFactory
    where TOptions : NativeChatClientOptions, new()
{
    private readonly string[] _apiKeyEnvironmentVariables;

    /// <summary>Initializes a new instance of the <see cref="NativeChatProviderFactory{TOptions}"/> class.</summary>
    /// <param name="name">The provider name <c>AI:Provider</c> selects.</param>
    /// <param name="requiresApiKey">Whether a call cannot succeed without an API key.</param>
    /// <param name="defaultEndpoint">The endpoint when none is configured, or <see langword="null"/> when one must be.</param>
    /// <param name="defaultModel">The model when none is configured, or <see langword="null"/> when one must be.</param>
    /// <param name="apiKeyEnvironmentVariables">The environment variables read for the key, in order (the first set wins).</param>
    /// <param name="configurationKeys">The provider's own configuration keys.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    protected NativeChatProviderFactory(
        string name, bool requiresApiKey, Uri? defaultEndpoint, string? defaultModel, string[] apiKeyEnvironmentVariables, params string[] configurationKeys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(apiKeyEnvironmentVariables);
        ArgumentNullException.ThrowIfNull(configurationKeys);
        Name = name;
        RequiresApiKey = requiresApiKey;
        DefaultEndpoint = defaultEndpoint;
        DefaultModel = defaultModel;
        _apiKeyEnvironmentVariables = apiKeyEnvironmentVariables;
        ConfigurationKeys = [.. configurationKeys, ResponseSizeLimit.ConfigurationKey];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => _apiKeyEnvironmentVariables.Length > 0 ? _apiKeyEnvironmentVariables[0] : null;

    /// <inheritdoc/>
    public IReadOnlyList<string> ApiKeyEnvironmentVariables => _apiKeyEnvironmentVariables;

    /// <inheritdoc/>
    public bool RequiresApiKey { get; }

    /// <inheritdoc/>
    public Uri? DefaultEndpoint { get; }

    /// <inheritdoc/>
    public string? DefaultModel { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; }

    /// <summary>Creates the provider's own health probe (see <see cref="IChatProviderFactory.CreateHealthProbe(ChatClientSettings, Microsoft.Extensions.Configuration.IConfiguration)"/>).</summary>
    /// <param name="settings">The client's settings.</param>
    /// <returns>The probe, or <see langword="null"/> (the default) for hosting's <c>GET {endpoint}/models</c> with a Bearer key.</returns>
    public virtual ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) => null;

    /// <summary>Creates the provider's own health probe with the client's configuration (see <see cref="IChatProviderFactory.CreateHealthProbe(ChatClientSettings, IConfiguration)"/>).</summary>
    /// <param name="settings">The client's settings.</param>
    /// <param name="configuration">The client's configuration, for the provider-specific keys the probe depends on.</param>
    /// <returns>The probe; by default <see cref="CreateHealthProbe(ChatClientSettings)"/>'s.</returns>
    public virtual ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings, IConfiguration configuration) => CreateHealthProbe(settings);

    /// <summary>
    /// A health probe that asks <c>GET</c> at the address <paramref name="address"/> makes of the client's endpoint (else
    /// <see cref="DefaultEndpoint"/>), with the headers <paramref name="authorize"/> writes for the client's key (its first
    /// rotation key when it has no single key); <see langword="null"/> when there is no endpoint. The model-list probe every
    /// native provider's descriptor is made of.
    /// </summary>
    /// <param name="settings">The client's settings.</param>
    /// <param name="address">Makes the probe's address of the endpoint.</param>
    /// <param name="authorize">Writes the key's headers on a request, if the provider wants a key.</param>
    /// <param name="checkBody">Judges a successful answer's body, as <see cref="ChatProviderHealthProbe.CheckBody"/>.</param>
    /// <param name="refusesKey">Tells a refused key from other failures, as <see cref="ChatProviderHealthProbe.RefusesKey"/>.</param>
    /// <returns>The probe, or <see langword="null"/>.</returns>
    protected ChatProviderHealthProbe? CreateGetProbe(
        ChatClientSettings settings,
        Func<Uri, string> address,
        Action<HttpRequestMessage, string?>? authorize,
        Func<string, string?>? checkBody = null,
        Func<int, string, bool>? refusesKey = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(address);
        var endpoint = settings.Endpoint ?? DefaultEndpoint;
        if (endpoint is null)
        {
            return null;
        }

        var key = settings.ApiKey ?? (settings.ApiKeys.Count > 0 ? settings.ApiKeys[0] : null);
        var uri = new Uri(address(endpoint));
        return new ChatProviderHealthProbe(
            uri,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                authorize?.Invoke(request, key);
                return request;
            },
            checkBody,
            refusesKey);
    }

    /// <inheritdoc/>
    public virtual IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(pathOf);
        return ResponseSizeLimit.Validate(configuration?[ResponseSizeLimit.ConfigurationKey], pathOf(ResponseSizeLimit.ConfigurationKey));
    }

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var options = new TOptions
        {
            Endpoint = settings.Endpoint,
            ApiKey = settings.ApiKey,
            Model = settings.Model,
            NetworkTimeout = settings.NetworkTimeout,
            MaxResponseBytes = ResponseSizeLimit.Read(context.Configuration[ResponseSizeLimit.ConfigurationKey]) ?? NativeTransportOptions.DefaultMaxResponseBytes,
            TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
        };
        Configure(options, context);
        return CreateClient(options, context);
    }

    /// <summary>Sets the provider's own options from its configuration keys; the shared members are already set.</summary>
    /// <param name="options">The options.</param>
    /// <param name="context">The client's settings, configuration and services.</param>
    protected virtual void Configure(TOptions options, ChatProviderContext context)
    {
    }

    /// <summary>Creates the adapter.</summary>
    /// <param name="options">The options, filled.</param>
    /// <param name="context">The client's settings, configuration, HTTP client and services.</param>
    /// <returns>The adapter.</returns>
    protected abstract IChatClient CreateClient(TOptions options, ChatProviderContext context);
}
