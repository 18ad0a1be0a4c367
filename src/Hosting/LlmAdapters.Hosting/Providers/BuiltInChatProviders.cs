// Licensed under the MIT License.

using LlmAdapters.Anthropic;
using LlmAdapters.Gemini;
using LlmAdapters.OpenAI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// The providers every configured registration knows: the descriptors their adapter packages ship. An application's own
/// provider of the same name wins (<see cref="IBuiltInChatProviderFactory"/>), whatever the order of registration.
/// Adding a built-in provider is one line here (and a project reference); its descriptor lives in its adapter package.
/// </summary>
internal static class BuiltInChatProviders
{
    public static IEnumerable<IChatProviderFactory> All =>
    [
        .. OpenAICompatibleChatProviderFactory.All,
        new AnthropicChatProviderFactory(),
        new GeminiChatProviderFactory(),
    ];

    public static void AddTo(IServiceCollection services)
    {
        foreach (var provider in All)
        {
            services.AddChatProvider(new BuiltInChatProviderFactory(provider));
        }
    }
}
