// Licensed under the MIT License.

using LlmAdapters.OpenAI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>sdk</c> implementation of the OpenAI-compatible presets.</summary>
public static class OpenAISdkServiceCollectionExtensions
{
    /// <summary>
    /// Makes <c>Implementation: sdk</c> available to the OpenAI-compatible providers of configured chat clients
    /// (<see cref="OpenAICompatibleChatClient"/>, on Microsoft.Extensions.AI.OpenAI), and registers those providers
    /// (<see cref="OpenAIServiceCollectionExtensions.AddOpenAIChatProviders"/>). Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOpenAISdkImplementation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenAIChatProviders();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOpenAIChatClientImplementation, OpenAISdkChatClientImplementation>());
        return services;
    }
}
