// Licensed under the MIT License.

using LlmAdapters.Anthropic;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>anthropic</c> provider with configured chat clients.</summary>
public static class AnthropicServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>anthropic</c> provider (<see cref="AnthropicChatProviderFactory"/>), so that <c>AI:Provider</c> can name it. An
    /// application's own provider of the same name wins; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAnthropicChatProvider(this IServiceCollection services) => services.TryAddChatProvider(new AnthropicChatProviderFactory());
}
