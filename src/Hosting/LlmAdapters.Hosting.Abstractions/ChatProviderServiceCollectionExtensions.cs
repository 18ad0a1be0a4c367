// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmAdapters;

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
}
