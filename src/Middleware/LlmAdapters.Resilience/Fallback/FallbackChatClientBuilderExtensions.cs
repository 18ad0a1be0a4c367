// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>Adds a <see cref="FallbackChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class FallbackChatClientBuilderExtensions
{
    /// <summary>Falls back to other clients, in order. Each is named after its metadata (<c>provider/model</c>) or its position.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="fallbackClients">The clients; the caller owns them.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fallbackClients"/> is null.</exception>
    public static ChatClientBuilder UseFallback(
        this ChatClientBuilder builder, IEnumerable<IChatClient> fallbackClients, Action<FallbackChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(fallbackClients);
        var named = fallbackClients.Select((client, i) => new KeyValuePair<string, IChatClient>(NameOf(client, i + 1), client)).ToList();
        return builder.UseFallback(_ => named, configure);
    }

    /// <summary>Falls back to named clients registered as keyed <see cref="IChatClient"/> services, in order.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="clientNames">The service keys of the clients.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="clientNames"/> is null.</exception>
    /// <remarks>The clients are resolved when the pipeline is built; an unknown name fails then.</remarks>
    public static ChatClientBuilder UseFallback(
        this ChatClientBuilder builder, IEnumerable<string> clientNames, Action<FallbackChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(clientNames);
        var names = clientNames.ToList();
        return builder.UseFallback(services => ResolveNamed(services, names), configure);
    }

    /// <summary>
    /// Falls back to other models of the same client, in order (e.g. <c>gpt-4</c> to <c>gpt-3.5-turbo</c>): each fallback sends
    /// the same request with <see cref="ChatOptions.ModelId"/> replaced.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="modelIds">The models to fall back to.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="modelIds"/> is null.</exception>
    public static ChatClientBuilder UseModelFallback(
        this ChatClientBuilder builder, IEnumerable<string> modelIds, Action<FallbackChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(modelIds);
        var models = modelIds.ToList();
        return builder.Use((inner, services) =>
        {
            var options = NewOptions(inner, services);
            configure?.Invoke(options);
            return new FallbackChatClient(inner, ModelTargets(inner, models).ToList(), [], options, services.GetService<ILoggerFactory>()?.CreateLogger<FallbackChatClient>());
        });
    }

    /// <summary>
    /// Falls back as a section says: <c>Models</c> (other models of this client) first, then <c>Clients</c> (keyed
    /// <see cref="IChatClient"/> services), with <c>On</c>, <c>FailureThreshold</c>, <c>SamplingWindow</c> and <c>BreakDuration</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Fallback</c>.</param>
    /// <param name="configure">Changes the options after the section, or <see langword="null"/>.</param>
    /// <returns>The builder; unchanged in effect when the section lists no client and no model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseFallback(this ChatClientBuilder builder, IConfiguration section, Action<FallbackChatClientOptions>? configure = null) =>
        builder.UseFallback(section, static (name, services) => services.GetRequiredKeyedService<IChatClient>(name), configure);

    /// <summary>
    /// Falls back as a section says, like <see cref="UseFallback(ChatClientBuilder, IConfiguration, Action{FallbackChatClientOptions}?)"/>,
    /// with the named clients of <c>Clients</c> resolved by <paramref name="resolveClient"/>: a configured pipeline passes
    /// the other client's inner stack (retry, attempt timeout, limits, keys, adapter), so that the outer stages run once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Fallback</c>.</param>
    /// <param name="resolveClient">Gets the client of a name listed under <c>Clients</c>; the caller owns what it returns.</param>
    /// <param name="configure">Changes the options after the section, or <see langword="null"/>.</param>
    /// <returns>The builder; unchanged in effect when the section lists no client and no model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="section"/> or <paramref name="resolveClient"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseFallback(
        this ChatClientBuilder builder, IConfiguration section, Func<string, IServiceProvider, IChatClient> resolveClient, Action<FallbackChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(resolveClient);
        var read = new FallbackChatClientOptions();
        read.Read(section);
        var models = ConfigurationReader.GetList(section, FallbackChatClientOptions.ModelsKey);
        var names = ConfigurationReader.GetList(section, FallbackChatClientOptions.ClientsKey);
        var kindOnly = KindOnly(read.FallbackByKind, names);
        return builder.Use((inner, services) =>
        {
            if (models.Count == 0 && names.Count == 0 && kindOnly.Count == 0)
            {
                return inner;
            }

            var options = NewOptions(inner, services);
            options.Read(section);
            configure?.Invoke(options);
            return new FallbackChatClient(
                inner,
                ModelTargets(inner, models).Concat(names.Select(name => (name, resolveClient(name, services), (string?)null))).ToList(),
                kindOnly.Select(name => new KeyValuePair<string, IChatClient>(name, resolveClient(name, services))).ToList(),
                options,
                services.GetService<ILoggerFactory>()?.CreateLogger<FallbackChatClient>());
        });
    }

    /// <summary>
    /// Falls back as options read once from a section say (<see cref="FallbackChatClientOptions.Models"/>, then
    /// <see cref="FallbackChatClientOptions.Clients"/>): the body of the configured pipeline's fallback stage.
    /// </summary>
    internal static ChatClientBuilder UseFallback(this ChatClientBuilder builder, FallbackChatClientOptions options, Func<string, IChatClient> resolveClient)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(resolveClient);
        return builder.Use((inner, services) =>
        {
            if (options.Models.Count == 0 && options.Clients.Count == 0 && options.KindOnlyClients.Count == 0)
            {
                return inner;
            }

            var named = options.Clients.Select(name => (name, resolveClient(name), (string?)null));
            var kindOnly = options.KindOnlyClients.Select(name => new KeyValuePair<string, IChatClient>(name, resolveClient(name))).ToList();
            options.Validate();
            return new FallbackChatClient(
                inner, ModelTargets(inner, options.Models).Concat(named).ToList(), kindOnly, options, services.GetService<ILoggerFactory>()?.CreateLogger<FallbackChatClient>());
        });
    }

    private static ChatClientBuilder UseFallback(
        this ChatClientBuilder builder,
        Func<IServiceProvider, IEnumerable<KeyValuePair<string, IChatClient>>> fallbacks,
        Action<FallbackChatClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => Create(inner, services, fallbacks(services), configure));
    }

    private static FallbackChatClient Create(
        IChatClient inner, IServiceProvider services, IEnumerable<KeyValuePair<string, IChatClient>> fallbacks, Action<FallbackChatClientOptions>? configure)
    {
        var options = NewOptions(inner, services);
        configure?.Invoke(options);
        return new FallbackChatClient(inner, fallbacks, options, services.GetService<ILoggerFactory>()?.CreateLogger<FallbackChatClient>());
    }

    private static FallbackChatClientOptions NewOptions(IChatClient inner, IServiceProvider services)
    {
        var options = new FallbackChatClientOptions
        {
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
            Store = services.GetService<IChatRoutingStore>(),
            PriceLookup = services.GetService<IModelPriceLookup>(),
            TokenEstimator = services.GetService<ITokenEstimator>(),
        };
        if (inner.GetService<ChatClientMetadata>() is { } metadata)
        {
            options.PrimaryName = NameOf(metadata) ?? options.PrimaryName;
        }

        return options;
    }

    /// <summary>The clients a typed fallback names that the order does not hold, each once.</summary>
    internal static List<string> KindOnly(IDictionary<ChatProviderErrorKind, IList<string>> byKind, IEnumerable<string> ordered)
    {
        var seen = new HashSet<string>(ordered, StringComparer.OrdinalIgnoreCase);
        return [.. byKind.Values.SelectMany(names => names).Where(seen.Add)];
    }

    private static IEnumerable<(string Name, IChatClient Client, string? ModelId)> ModelTargets(IChatClient inner, IEnumerable<string> models) =>
        models.Select(model => (model, (IChatClient)new ConfigureOptionsChatClient(inner, options => options.ModelId = model), (string?)model));

    private static IEnumerable<KeyValuePair<string, IChatClient>> ResolveNamed(IServiceProvider services, IEnumerable<string> names) =>
        names.Select(name => new KeyValuePair<string, IChatClient>(name, services.GetRequiredKeyedService<IChatClient>(name)));

    private static string NameOf(IChatClient client, int position) =>
        client.GetService<ChatClientMetadata>() is { } metadata && NameOf(metadata) is { } name ? name : "fallback" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? NameOf(ChatClientMetadata metadata) =>
        (metadata.ProviderName, metadata.DefaultModelId) switch
        {
            ({ } provider, { } model) => provider + "/" + model,
            ({ } provider, null) => provider,
            (null, { } model) => model,
            _ => null,
        };
}
