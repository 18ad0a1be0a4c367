// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers chat clients whose provider, model, options and pipeline come from configuration.</summary>
public static class ConfiguredChatClientsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the chat clients a configuration section describes (usually <c>AI</c>): the top-level keys describe the
    /// client named <c>default</c>, which is also the unkeyed <see cref="IChatClient"/>; each <c>AI:Clients:{name}</c>
    /// describes a keyed <see cref="IChatClient"/> of that name, inheriting the top-level keys it does not set.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section, e.g. <c>configuration.GetSection("AI")</c>.</param>
    /// <param name="configureClient">Adds middleware of your own around a client's configured pipeline, by client name.</param>
    /// <returns>The builder of the <c>default</c> client (or of the first configured one), so middleware of your own composes on top.</returns>
    /// <remarks>
    /// <para>The configuration is validated when the host starts (and when a client is first resolved): an unknown provider,
    /// a missing model, API key or endpoint, a malformed endpoint or pipeline value each give a message naming the key.</para>
    /// <para>The providers <c>AI:Provider</c> may name and the stages beyond Hosting's own (Defaults, Logging, OpenTelemetry,
    /// Cache, FunctionInvocation) come from their packages: with the <c>LlmAdapters</c> package referenced, every built-in one
    /// is registered here; otherwise each package's own call registers its part, before or after this one
    /// (<c>AddAnthropicChatProvider()</c>, <c>AddOpenAIChatProviders()</c>, <c>AddResilienceChatPipelineStages()</c>,
    /// <c>AddCostChatPipelineStages()</c>, <c>AddRedisChatState()</c>…; docs/architecture.md).</para>
    /// </remarks>
    public static ChatClientBuilder AddConfiguredChatClients(
        this IServiceCollection services, IConfigurationSection section, Action<string, ChatClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        if (services.Any(d => d.ServiceType == typeof(ConfiguredChatClients)))
        {
            throw new InvalidOperationException("AddConfiguredChatClients was already called: one configuration section describes all the clients (add more under its Clients key).");
        }

        var configuration = new ChatClientsConfiguration(section);
        services.AddHttpClient();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<ConfiguredChatClientsOptions>();
        BuiltInChatPipelineStages.AddTo(services);

        // The providers and the other stages come from their packages: each package's own call (AddAnthropicChatProvider(),
        // AddResilienceChatPipelineStages()…), before or after this one, or all of them when the LlmAdapters package is
        // referenced. Packages that read the section beside the clients (LlmAdapters.Redis: AI:Redis) get it now.
        ChatClientsPackages.AddReferenced(services);
        services.SetChatClientsSection(section);
        services.AddSingleton(sp => new ConfiguredChatClients(configuration, sp));

        // Checked when the host starts (ValidateOnStart), so a bad key fails the start, not the first request.
        services.AddOptions<ConfiguredChatClientsValidation>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConfiguredChatClientsValidation>, ConfiguredChatClientsValidator>();

        ChatClientBuilder? first = null;
        foreach (var name in configuration.Names)
        {
            var builder = services.AddKeyedChatClient(name, sp => sp.GetRequiredService<ConfiguredChatClients>().BuildPipeline(name, sp));
            configureClient?.Invoke(name, builder);
            first ??= builder;
        }

        // The unkeyed IChatClient is the first client, registered through M.E.AI's own AddChatClient only when the
        // application has not registered one: an AddChatClient before this call keeps its client, one after it wins as
        // the last registration always does, and the configured clients stay reachable by key either way.
        var unkeyed = configuration.Names[0];
        if (!services.Any(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService))
        {
            services.AddChatClient(sp => new LlmAdapters.Hosting.NonDisposingChatClient(sp.GetRequiredKeyedService<IChatClient>(unkeyed)));
        }

        return first!;
    }

    /// <summary>
    /// Registers the chat clients a configuration section describes, as
    /// <see cref="AddConfiguredChatClients(IServiceCollection, IConfigurationSection, Action{string, ChatClientBuilder})"/> does,
    /// and lets code change each client's settings once they are read from configuration: the options pattern's
    /// <c>configure</c> delegate, over the bound <see cref="ChatClientSettings"/> record.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section, e.g. <c>configuration.GetSection("AI")</c>.</param>
    /// <param name="configureSettings">
    /// Called once per client with the settings read for it (its <see cref="ChatClientSettings.Name"/> says which), returns
    /// the settings to use: <c>s =&gt; s.Name == "default" ? s with { ApiKey = vault.Get("openai") } : s</c>. What it returns is
    /// checked as configuration is, when the host starts.
    /// </param>
    /// <param name="configureClient">Adds middleware of your own around a client's configured pipeline, by client name.</param>
    /// <returns>The builder of the <c>default</c> client (or of the first configured one).</returns>
    public static ChatClientBuilder AddConfiguredChatClients(
        this IServiceCollection services,
        IConfigurationSection section,
        Func<ChatClientSettings, ChatClientSettings> configureSettings,
        Action<string, ChatClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(configureSettings);
        var builder = services.AddConfiguredChatClients(section, configureClient);
        services.ConfigureChatClientSettings(clientName: null, configureSettings);
        return builder;
    }

    /// <summary>
    /// Changes the settings of one configured client (or of every one) after they are read from configuration and before
    /// they are checked and used; changes apply in the order they are added. Call it before or after
    /// <c>AddConfiguredChatClients</c>: it is a <see cref="ConfiguredChatClientsOptions"/> configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="clientName">The client (case-insensitive), or <see langword="null"/> for every client.</param>
    /// <param name="configure">Returns the settings to use, e.g. <c>s =&gt; s with { Model = "gpt-4.1" }</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection ConfigureChatClientSettings(
        this IServiceCollection services, string? clientName, Func<ChatClientSettings, ChatClientSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure<ConfiguredChatClientsOptions>(options => options.ConfigureSettings(clientName, configure));
        return services;
    }

    /// <summary>
    /// Registers the chat clients of the <paramref name="sectionName"/> section of the application's configuration, as
    /// <see cref="AddConfiguredChatClients(IServiceCollection, IConfigurationSection, Action{string, ChatClientBuilder})"/>
    /// does. A client's <c>ConnectionStrings:{name}</c> (<c>Endpoint=…;Key=…;Model=…</c>, as Aspire writes them) takes
    /// precedence over the section's keys it sets.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="sectionName">The configuration section of the clients.</param>
    /// <param name="configureClient">Called with each client's name and builder, to add middleware to one client or to all.</param>
    /// <returns>The builder of the first client.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddConfiguredChatClients(
        this IHostApplicationBuilder builder, string sectionName = "AI", Action<string, ChatClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        return builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection(sectionName), configureClient);
    }
}
