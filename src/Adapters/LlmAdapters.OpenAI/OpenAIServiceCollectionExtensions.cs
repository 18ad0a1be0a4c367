// Licensed under the MIT License.

using LlmAdapters.OpenAI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OpenAI-compatible providers with configured chat clients.</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Registers one provider per preset of <see cref="OpenAICompatibleProviders.All"/> (<c>openai</c>, <c>vllm</c>,
    /// <c>dashscope</c>, <c>ollama-openai</c>, <c>groq</c>, <c>together</c>, <c>lmstudio</c>, <c>deepseek</c>), so that
    /// <c>AI:Provider</c> can name them. An application's own provider of the same name wins; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOpenAIChatProviders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var provider in OpenAICompatibleChatProviderFactory.All)
        {
            services.TryAddChatProvider(provider);
        }

        return services;
    }
}
