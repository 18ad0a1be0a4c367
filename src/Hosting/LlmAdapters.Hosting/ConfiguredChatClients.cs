// Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>
/// The chat clients described by configuration: their names, their settings, their pipelines and their bare
/// provider adapters. Registered by <see cref="ConfiguredChatClientsServiceCollectionExtensions.AddConfiguredChatClients(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfigurationSection, Action{string, Microsoft.Extensions.AI.ChatClientBuilder})"/>.
/// </summary>
/// <remarks>
/// Thread-safe. A client's configuration is flattened once and read once, when it is first validated or resolved, into
/// its plan (its settings and each stage's options), which is kept per name and used by validation, the pipeline, the inner
/// stack, the warnings and the health check: later changes to the configuration do not apply to it. Only a provider's
/// default endpoint is taken again when the adapter is created (a provider may learn it once the host runs).
/// Each client's inner stack (the stages after <see cref="ChatPipelineOrder.Fallback"/> and the adapter) is built once and
/// shared by its own pipeline and by the clients that fall back to it; disposing of this object disposes of them.
/// </remarks>
public sealed partial class ConfiguredChatClients : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IChatClient>> _innerStacks = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<ChatClientPlan>> _plans = new(StringComparer.OrdinalIgnoreCase);
    private readonly ChatClientsConfiguration _configuration;
    private readonly IServiceProvider _services;
    private readonly ConfiguredChatClientsOptions _options;

    internal ConfiguredChatClients(ChatClientsConfiguration configuration, IServiceProvider services)
    {
        _configuration = configuration;
        _services = services;
        _options = services.GetService<IOptions<ConfiguredChatClientsOptions>>()?.Value ?? new ConfiguredChatClientsOptions();
    }

    /// <summary>Gets the configured client names; <c>default</c> is the client of the top-level keys.</summary>
    public IReadOnlyList<string> Names => _configuration.Names;

    /// <summary>Gets the names of the providers that <c>AI:Provider</c> may name.</summary>
    public IReadOnlyList<string> ProviderNames => [.. Providers.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    private IEnumerable<IChatProviderFactory> Providers => _services.GetServices<IChatProviderFactory>();

    private IEnumerable<IChatPipelineStage> Stages => _services.GetServices<IChatPipelineStage>();

    /// <summary>Gets the pipeline of a named client (the keyed <see cref="IChatClient"/> service of that name).</summary>
    /// <param name="name">The client name, e.g. <c>default</c> or <c>welcome</c>.</param>
    /// <returns>The client.</returns>
    /// <exception cref="InvalidOperationException">No client of that name is configured; the message lists the configured ones.</exception>
    /// <exception cref="OptionsValidationException">The client's configuration is invalid; the message names each key at fault.</exception>
    public IChatClient GetClient(string name)
    {
        EnsureKnown(name);
        return _services.GetRequiredKeyedService<IChatClient>(Canonical(name));
    }

    /// <summary>Gets the resolved settings of a named client.</summary>
    /// <param name="name">The client name.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidOperationException">No client of that name is configured.</exception>
    /// <exception cref="OptionsValidationException">The client's configuration is invalid.</exception>
    public ChatClientSettings GetSettings(string name)
    {
        EnsureKnown(name);
        var plan = GetPlan(name);
        if (plan.CurrentSettings is not { } settings)
        {
            // Without settings, the plan's problems are the settings' own.
            ThrowIfAny(plan.Errors);
            throw new InvalidOperationException($"The chat client '{name}' has no settings.");
        }

        return settings;
    }

    /// <summary>
    /// Creates the bare provider adapter of a named client, with no middleware: to diagnose a provider.
    /// </summary>
    /// <param name="name">The client name.</param>
    /// <param name="apiKey">An API key to use instead of the configured one, or <see langword="null"/>.</param>
    /// <returns>A new adapter; the caller disposes of it.</returns>
    /// <exception cref="InvalidOperationException">No client of that name is configured.</exception>
    /// <exception cref="OptionsValidationException">The client's configuration is invalid.</exception>
    public IChatClient CreateProviderClient(string name, string? apiKey = null)
    {
        EnsureKnown(name);
        var plan = GetPlan(name);
        if (plan.Settings is null)
        {
            ThrowIfAny(plan.Errors);
        }

        return CreateAdapter(plan, apiKey);
    }

    /// <summary>Checks the configuration of every client, or of one.</summary>
    /// <param name="name">The client to check, or <see langword="null"/> for all.</param>
    /// <returns>The problems found, each naming its configuration key; empty when all is valid.</returns>
    public IReadOnlyList<string> Validate(string? name = null)
    {
        var errors = new List<string>();
        if (name is not null && !_configuration.Contains(name))
        {
            errors.Add(UnknownClientMessage(name));
            return errors;
        }

        foreach (var client in name is null ? Names : [Canonical(name)])
        {
            errors.AddRange(GetPlan(client).Errors);
        }

        // Clients that inherit one bad shared key report the same message: say it once.
        return [.. errors.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Disposes of the clients' inner stacks (and so of their adapters).</summary>
    public void Dispose()
    {
        foreach (var stack in _innerStacks.Values.Where(l => l.IsValueCreated))
        {
            stack.Value.Dispose();
        }

        _innerStacks.Clear();
    }

    internal string UnknownClientMessage(string name) =>
        $"No chat client named '{name}' is configured. Configured clients: {string.Join(", ", Names)} (under {_configuration.RootPath}:Clients, and 'default' for the top-level keys of {_configuration.RootPath}).";

    internal static void ThrowIfAny(IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(ConfiguredChatClients), typeof(ChatClientSettings), errors);
        }
    }

    private string Canonical(string name) => Names.First(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    private void EnsureKnown(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_configuration.Contains(name))
        {
            throw new InvalidOperationException(UnknownClientMessage(name));
        }
    }

    /// <summary>Gets the name of the <see cref="HttpClient"/> a configured client uses, to configure it with <c>AddHttpClient(name)</c>.</summary>
    /// <param name="clientName">The configured client's name.</param>
    /// <returns>The HTTP client name, <c>LlmAdapters.{clientName}</c>.</returns>
    public static string HttpClientName(string clientName) => "LlmAdapters." + clientName;
}
