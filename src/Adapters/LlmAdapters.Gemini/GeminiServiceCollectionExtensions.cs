// Licensed under the MIT License.

using LlmAdapters.Gemini;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>gemini</c> provider with configured chat clients.</summary>
public static class GeminiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>gemini</c> provider (<see cref="GeminiChatProviderFactory"/>), so that <c>AI:Provider</c> can name it. An
    /// application's own provider of the same name wins; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddGeminiChatProvider(this IServiceCollection services) => services.TryAddChatProvider(new GeminiChatProviderFactory());
}
