// Licensed under the MIT License.

using LlmAdapters.Ollama;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>ollama</c> provider with configured chat clients.</summary>
public static class OllamaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>ollama</c> provider (<see cref="OllamaChatProviderFactory"/>), so that <c>AI:Provider</c> can name it. An
    /// application's own provider of the same name wins; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOllamaChatProvider(this IServiceCollection services) => services.TryAddChatProvider(new OllamaChatProviderFactory());
}
