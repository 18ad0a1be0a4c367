// Licensed under the MIT License.

using LlmAdapters.DashScope;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>dashscope-native</c> provider with configured chat clients.</summary>
public static class DashScopeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>dashscope-native</c> provider (<see cref="DashScopeNativeChatProviderFactory"/>), so that <c>AI:Provider</c> can name it. An
    /// application's own provider of the same name wins; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDashScopeChatProvider(this IServiceCollection services) => services.TryAddChatProvider(new DashScopeNativeChatProviderFactory());
}
