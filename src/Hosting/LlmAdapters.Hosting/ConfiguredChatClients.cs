// Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>
/// The chat clients described by configuration: their names, their settings, their pipelines and their bare
/// provider adapters. Registered by <see cref="ConfiguredChatClientsServiceCollectionExtensions.AddConfiguredChatClients"/>.
/// </summary>
/// <remarks>
/// Thread-safe. The configuration is read when a client is first resolved; later changes apply to clients built afterwards.
/// Each client's inner stack (the stages after <see cref="ChatPipelineOrder.Fallback"/> and the adapter) is built once and
/// shared by its own pipeline and by the clients that fall back to it; disposing of this object disposes of them.
/// </remarks>
public sealed class ConfiguredChatClients : IDisposable
{
    /// <summary>The keys every client may set, whatever its provider (the provider adds its own, <see cref="IChatProviderFactory.ConfigurationKeys"/>).</summary>
    private static readonly string[] s_clientKeys =
        ["Provider", "Model", "Endpoint", "ApiKey", "SystemPrompt", "Temperature", "MaxOutputTokens", "NetworkTimeout", "Pipeline", "Pricing"];

    private readonly ConcurrentDictionary<string, Lazy<IChatClient>> _innerStacks = new(StringComparer.OrdinalIgnoreCase);
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
        var errors = new List<string>();
        var settings = ResolveSettings(Canonical(name), errors, out _);
        ThrowIfAny(errors);
        return settings!;
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
        var errors = new List<string>();
        var settings = ResolveSettings(Canonical(name), errors, out var factory);
        ThrowIfAny(errors);
        return CreateAdapter(settings!, factory!, apiKey);
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
            var settings = ResolveSettings(client, errors, out var factory);
            if (settings is not null)
            {
                ValidateFallbackTargets(client, errors);
                _ = ReadStages(settings, factory!, _services, errors);
            }
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

    /// <summary>
    /// Builds a client's pipeline: the outer stages (up to and including <see cref="ChatPipelineOrder.Fallback"/>) over
    /// its inner stack. Every stage is validated first, so that a bad key anywhere fails the whole client.
    /// </summary>
    internal IChatClient BuildPipeline(string name, IServiceProvider services)
    {
        var outer = EnabledStages(name, services, out _);
        var builder = new ChatClientBuilder(new NonDisposingChatClient(GetInnerStack(name, services)));
        foreach (var (stage, context) in outer.Where(s => s.Stage.Order <= ChatPipelineOrder.Fallback))
        {
            builder.Use(inner => stage.Apply(inner, context));
        }

        return builder.Build(services);
    }

    /// <summary>The inner stack of a client, built once: the stages after <see cref="ChatPipelineOrder.Fallback"/> over the adapter.</summary>
    private IChatClient GetInnerStack(string name, IServiceProvider services) =>
        _innerStacks.GetOrAdd(Canonical(name), n => new Lazy<IChatClient>(() => BuildInnerStack(n, services))).Value;

    private IChatClient BuildInnerStack(string name, IServiceProvider services)
    {
        var stages = EnabledStages(name, services, out var adapter);
        var builder = new ChatClientBuilder(adapter());
        foreach (var (stage, context) in stages.Where(s => s.Stage.Order > ChatPipelineOrder.Fallback))
        {
            builder.Use(inner => stage.Apply(inner, context));
        }

        return builder.Build(services);
    }

    /// <summary>What another client contributes as a fallback target: its inner stack, sent its own model.</summary>
    private IChatClient GetFallbackClient(string name, IServiceProvider services)
    {
        EnsureKnown(name);
        var errors = new List<string>();
        var settings = ResolveSettings(Canonical(name), errors, out _);
        ThrowIfAny(errors);
        var inner = new NonDisposingChatClient(GetInnerStack(name, services));
        return settings!.Model is { } model ? new ConfigureOptionsChatClient(inner, options => options.ModelId = model) : inner;
    }

    /// <summary>Resolves, validates and lists a client's enabled stages in order; throws with every problem found.</summary>
    private List<(IChatPipelineStage Stage, ChatPipelineContext Context)> EnabledStages(string name, IServiceProvider services, out Func<IChatClient> createAdapter)
    {
        var errors = new List<string>();
        var settings = ResolveSettings(name, errors, out var factory);
        ValidateFallbackTargets(name, errors);
        ThrowIfAny(errors);

        var stages = ReadStages(settings!, factory!, services, errors);
        ThrowIfAny(errors);
        createAdapter = () => CreateAdapter(settings!, factory!, null);
        return stages;
    }

    /// <summary>
    /// Reads a client's configuration once, through each stage's own reader: the client's keys, the stage names under
    /// <c>Pipeline</c>, each stage's section (a key no stage read is unknown, with the nearest known one suggested).
    /// </summary>
    /// <returns>The enabled stages, outermost first, each with the context it validated.</returns>
    private List<(IChatPipelineStage Stage, ChatPipelineContext Context)> ReadStages(
        ChatClientSettings settings, IChatProviderFactory factory, IServiceProvider services, List<string> errors)
    {
        var configuration = _configuration.GetClientConfiguration(settings.Name);
        ValidateClientKeys(settings.Name, configuration, factory, errors);
        ValidateStageNames(settings.Name, configuration, errors);

        var usages = new Dictionary<string, ConfigurationKeyUsage>(StringComparer.OrdinalIgnoreCase);
        var enabled = new List<(IChatPipelineStage, ChatPipelineContext)>();
        foreach (var stage in Stages.OrderBy(s => s.Order))
        {
            var usage = usages.TryGetValue(stage.Name, out var shared) ? shared : usages[stage.Name] = new ConfigurationKeyUsage();
            var context = CreatePipelineContext(settings, configuration, stage, factory, services, usage);
            if (IsEnabled(stage, context, errors))
            {
                errors.AddRange(stage.Validate(context));
                enabled.Add((stage, context));
            }
            else
            {
                // A switched-off stage still names the keys it knows, so that they are not taken for typos.
                _ = stage.Validate(context).ToList();
            }
        }

        foreach (var (stageName, usage) in usages)
        {
            var section = configuration.GetSection("Pipeline").GetSection(stageName);
            usage.ReportUnknown(section, _configuration.SectionPath(settings.Name, "Pipeline:" + section.Key), errors);
        }

        return enabled;
    }

    /// <summary>A client key that is neither common nor the provider's own is a typo (<c>Modle</c>) that would silently do nothing.</summary>
    private void ValidateClientKeys(string client, IConfiguration configuration, IChatProviderFactory factory, List<string> errors)
    {
        var known = s_clientKeys.Concat(factory.ConfigurationKeys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        foreach (var child in configuration.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(ConfigurationKeyUsage.UnknownKeyMessage(_configuration.KeyPath(client, child.Key), child.Key, known));
            }
        }
    }

    /// <summary>
    /// Checks a client's <c>Pipeline:Fallback:Clients</c>: each target must be a configured client, and no chain of
    /// fallbacks may lead back to the client (building it would never end).
    /// </summary>
    private void ValidateFallbackTargets(string client, List<string> errors)
    {
        var path = _configuration.SectionPath(client, "Pipeline:Fallback:Clients");
        foreach (var target in FallbackTargets(client))
        {
            if (!_configuration.Contains(target))
            {
                errors.Add($"{path} names '{target}', which is not a configured client. Configured clients: {string.Join(", ", Names)}.");
            }
        }

        if (FindFallbackCycle(client, [client]) is { } cycle)
        {
            errors.Add($"{path} leads back to '{client}' ({string.Join(" -> ", cycle)}): a client cannot fall back to itself, directly or through others.");
        }
    }

    /// <summary>A section under <c>Pipeline</c> that no stage reads is a typo (<c>Retyr</c>) that would silently switch nothing on.</summary>
    private void ValidateStageNames(string client, IConfiguration configuration, List<string> errors)
    {
        var known = Stages.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        foreach (var section in configuration.GetSection("Pipeline").GetChildren())
        {
            if (!known.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                var nearest = ConfigurationKeyUsage.Nearest(section.Key, known) is { } n ? $" Did you mean '{n}'?" : string.Empty;
                errors.Add($"{_configuration.SectionPath(client, "Pipeline:" + section.Key)} is not a pipeline stage. Known stages: {string.Join(", ", known)}.{nearest}");
            }
        }
    }

    private IReadOnlyList<string> FallbackTargets(string client) =>
        ConfigurationReader.GetList(_configuration.GetClientConfiguration(client), "Pipeline:Fallback:Clients");

    private List<string>? FindFallbackCycle(string start, List<string> path)
    {
        foreach (var target in FallbackTargets(path[^1]))
        {
            if (string.Equals(target, start, StringComparison.OrdinalIgnoreCase))
            {
                return [.. path, target];
            }

            if (_configuration.Contains(target) && !path.Contains(target, StringComparer.OrdinalIgnoreCase) && FindFallbackCycle(start, [.. path, target]) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    internal string UnknownClientMessage(string name) =>
        $"No chat client named '{name}' is configured. Configured clients: {string.Join(", ", Names)} (under {_configuration.RootPath}:Clients, and 'default' for the top-level keys of {_configuration.RootPath}).";

    private static bool IsEnabled(IChatPipelineStage stage, ChatPipelineContext context, List<string> errors) =>
        ConfigurationReader.GetBoolean(context.Section, "Enabled", errors, context.SectionPath) ?? stage.IsEnabled(context);

    private static void ThrowIfAny(List<string> errors)
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

    private ChatPipelineContext CreatePipelineContext(
        ChatClientSettings settings, IConfiguration configuration, IChatPipelineStage stage, IChatProviderFactory factory, IServiceProvider services, ConfigurationKeyUsage usage)
    {
        var section = configuration.GetSection("Pipeline").GetSection(stage.Name);
        var path = _configuration.SectionPath(settings.Name, "Pipeline:" + stage.Name);
        return new ChatPipelineContext(
            settings, configuration, new PathedConfigurationSection(section, path, usage), _services, apiKey => CreateAdapter(settings, factory, apiKey), target => GetFallbackClient(target, services));
    }

    private IChatClient CreateAdapter(ChatClientSettings settings, IChatProviderFactory factory, string? apiKey)
    {
        var effective = apiKey is null ? settings : settings with { ApiKey = apiKey };
        var httpClient = _services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(settings.Name));
        httpClient.Timeout = Timeout.InfiniteTimeSpan; // The adapter applies NetworkTimeout; the timeout middleware the shorter limits.
        return factory.CreateClient(new ChatProviderContext(effective, _configuration.GetClientConfiguration(settings.Name), httpClient, _services));
    }

    /// <summary>Gets the name of the <see cref="HttpClient"/> a configured client uses, to configure it with <c>AddHttpClient(name)</c>.</summary>
    /// <param name="clientName">The configured client's name.</param>
    /// <returns>The HTTP client name, <c>LlmAdapters.{clientName}</c>.</returns>
    public static string HttpClientName(string clientName) => "LlmAdapters." + clientName;

    private ChatClientSettings? ResolveSettings(string name, List<string> errors, out IChatProviderFactory? factory)
    {
        factory = null;
        var configuration = _configuration.GetClientConfiguration(name);
        string PathOf(string key) => _configuration.KeyPath(name, key);
        var start = errors.Count;

        var provider = configuration["Provider"];
        if (string.IsNullOrWhiteSpace(provider))
        {
            errors.Add($"{PathOf("Provider")} is not set. Set it to one of: {string.Join(", ", ProviderNames)}.");
            return null;
        }

        var matches = Providers.Where(p => string.Equals(p.Name, provider.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        factory = matches.LastOrDefault(p => p is not IBuiltInChatProviderFactory) ?? matches.LastOrDefault();
        if (factory is null)
        {
            errors.Add($"{PathOf("Provider")} is '{provider}', which is not a known provider. Known providers: {string.Join(", ", ProviderNames)}. Add another with services.AddChatProvider(...).");
            return null;
        }

        var model = configuration["Model"];
        if (string.IsNullOrWhiteSpace(model))
        {
            model = factory.DefaultModel;
            if (model is null)
            {
                errors.Add($"{PathOf("Model")} is not set, and the '{factory.Name}' provider has no default model: name the model to use.");
            }
        }

        Uri? endpoint = factory.DefaultEndpoint;
        var endpointText = configuration["Endpoint"];
        if (!string.IsNullOrWhiteSpace(endpointText))
        {
            if (Uri.TryCreate(endpointText, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                endpoint = parsed;
            }
            else
            {
                errors.Add($"{PathOf("Endpoint")} is '{endpointText}', which is not an absolute http or https URL.");
            }
        }
        else if (endpoint is null)
        {
            errors.Add($"{PathOf("Endpoint")} is not set, and the '{factory.Name}' provider has no default endpoint: give the server's base URL.");
        }

        var apiKeys = ConfigurationReader.GetList(configuration, "Pipeline:ApiKeys");
        var apiKey = configuration["ApiKey"];
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = apiKeys.Count > 0 ? apiKeys[0]
                : factory.ApiKeyEnvironmentVariable is { } variable ? _options.GetEnvironmentVariable(variable) : null;
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = null;
            if (factory.RequiresApiKey)
            {
                var variable = factory.ApiKeyEnvironmentVariable is { } v ? $" and the environment variable {v} is empty" : string.Empty;
                errors.Add($"{PathOf("ApiKey")} is not set{variable}: the '{factory.Name}' provider needs an API key.");
            }
        }

        var temperature = ConfigurationReader.GetDouble(configuration, "Temperature", 0, 2, errors, _configuration.KeyParentPath(name, "Temperature"));
        var maxOutputTokens = ConfigurationReader.GetInt32(configuration, "MaxOutputTokens", 1, errors, _configuration.KeyParentPath(name, "MaxOutputTokens"));
        var networkTimeout = ConfigurationReader.GetDuration(configuration, "NetworkTimeout", errors, _configuration.KeyParentPath(name, "NetworkTimeout"));
        if (errors.Count > start)
        {
            return null;
        }

        return new ChatClientSettings
        {
            Name = name,
            Provider = factory.Name,
            Model = model,
            Endpoint = endpoint,
            ApiKey = apiKey,
            ApiKeys = apiKeys,
            SystemPrompt = configuration["SystemPrompt"],
            Temperature = (float?)temperature,
            MaxOutputTokens = maxOutputTokens,
            NetworkTimeout = networkTimeout ?? TimeSpan.FromMinutes(10),
        };
    }
}
