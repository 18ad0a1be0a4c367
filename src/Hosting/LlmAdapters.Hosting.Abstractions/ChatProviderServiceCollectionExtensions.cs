// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers providers and pipeline stages that configured chat clients can use.</summary>
public static class ChatProviderServiceCollectionExtensions
{
    /// <summary>Adds a provider that <c>AI:Provider</c> can name. A later registration of the same name wins.</summary>
    /// <param name="services">The services.</param>
    /// <param name="factory">The provider factory.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChatProvider(this IServiceCollection services, IChatProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(factory);
        return services;
    }

    /// <summary>Adds a provider that <c>AI:Provider</c> can name, from a function.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The provider name.</param>
    /// <param name="createClient">Creates the provider's adapter.</param>
    /// <param name="apiKeyEnvironmentVariable">The environment variable read for the key when <c>AI:ApiKey</c> is not set.</param>
    /// <param name="requiresApiKey">Whether a key is required.</param>
    /// <param name="defaultEndpoint">The endpoint used when <c>AI:Endpoint</c> is not set.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChatProvider(
        this IServiceCollection services,
        string name,
        Func<ChatProviderContext, IChatClient> createClient,
        string? apiKeyEnvironmentVariable = null,
        bool requiresApiKey = false,
        Uri? defaultEndpoint = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(createClient);
        return services.AddChatProvider(new DelegateChatProviderFactory(name, createClient, apiKeyEnvironmentVariable, requiresApiKey, defaultEndpoint));
    }

    /// <summary>
    /// Adds a provider a package ships (its <c>services.Add…ChatProvider()</c> call does): an application's own provider of
    /// the same name, added with <see cref="AddChatProvider(IServiceCollection, IChatProviderFactory)"/>, wins whatever the
    /// order of registration, and the same package's provider added twice is added once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="factory">The provider factory.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection TryAddChatProvider(this IServiceCollection services, IChatProviderFactory factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IChatProviderFactory) && descriptor.ImplementationInstance is PackageChatProviderFactory package &&
                package.Inner.GetType() == factory.GetType() && string.Equals(package.Name, factory.Name, StringComparison.OrdinalIgnoreCase))
            {
                return services;
            }
        }

        services.AddSingleton<IChatProviderFactory>(new PackageChatProviderFactory(factory));
        return services;
    }

    /// <summary>
    /// Runs <paramref name="register"/> with the configuration section the configured chat clients are read from (usually
    /// <c>AI</c>) once <c>AddConfiguredChatClients</c> is called, or at once when it already was: for a package whose services
    /// depend on configuration beside the clients' (LlmAdapters.Redis reads <c>AI:Redis</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="register">Registers services from the section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChatClientsSectionRegistration(this IServiceCollection services, Action<IServiceCollection, IConfigurationSection> register)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(register);
        if (services.LastOrDefault(d => d.ServiceType == typeof(ChatClientsSection))?.ImplementationInstance is ChatClientsSection current)
        {
            register(services, current.Section);
            return services;
        }

        services.AddSingleton(new ChatClientsSectionRegistration(register));
        return services;
    }

    /// <summary>Called by <c>AddConfiguredChatClients</c>: records its section and runs the registrations that waited for it.</summary>
    internal static void SetChatClientsSection(this IServiceCollection services, IConfigurationSection section)
    {
        services.AddSingleton(new ChatClientsSection(section));
        foreach (var registration in services.Select(d => d.ImplementationInstance).OfType<ChatClientsSectionRegistration>().ToList())
        {
            registration.Register(services, section);
        }
    }

    /// <summary>Adds a stage that configured pipelines apply, configured by <c>AI:Pipeline:{stage.Name}</c>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChatPipelineStage(this IServiceCollection services, IChatPipelineStage stage)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(stage);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatPipelineStage>(stage));
        return services;
    }

    private sealed class DelegateChatProviderFactory(
        string name, Func<ChatProviderContext, IChatClient> create, string? apiKeyEnvironmentVariable, bool requiresApiKey, Uri? defaultEndpoint) : IChatProviderFactory
    {
        public string Name => name;

        public string? ApiKeyEnvironmentVariable => apiKeyEnvironmentVariable;

        public bool RequiresApiKey => requiresApiKey;

        public Uri? DefaultEndpoint => defaultEndpoint;

        public IChatClient CreateClient(ChatProviderContext context) => create(context);
    }

    private sealed class ChatClientsSection(IConfigurationSection section)
    {
        public IConfigurationSection Section => section;
    }

    private sealed class ChatClientsSectionRegistration(Action<IServiceCollection, IConfigurationSection> register)
    {
        public Action<IServiceCollection, IConfigurationSection> Register => register;
    }
}
