// Licensed under the MIT License.

using LlmAdapters.OpenAI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// The providers every configured registration knows. An application's own provider of the same name wins
/// (<see cref="IBuiltInChatProviderFactory"/>), whatever the order of registration.
/// </summary>
internal static class BuiltInChatProviders
{
    /// <summary>
    /// The model used when <c>AI:Model</c> is not set, so that switching provider is a change of <c>AI:Provider</c> alone.
    /// Local servers (vLLM, Ollama, LM Studio) serve whatever was loaded: there the model must be configured.
    /// </summary>
    private static readonly Dictionary<string, string> s_defaultModels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "gpt-4o-mini",
        ["dashscope"] = "qwen-plus",
        ["groq"] = "llama-3.3-70b-versatile",
        ["together"] = "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        ["deepseek"] = "deepseek-chat",
    };

    public static void AddTo(IServiceCollection services)
    {
        foreach (var preset in OpenAICompatibleProviders.All)
        {
            services.AddChatProvider(new OpenAICompatibleChatProviderFactory(
                preset.Name, preset.DefaultEndpoint, preset.ApiKeyEnvironmentVariable, preset.RequiresApiKey, s_defaultModels.GetValueOrDefault(preset.Name)));
        }

        services.AddChatProvider(new AnthropicChatProviderFactory());
        services.AddChatProvider(new GeminiChatProviderFactory());
    }
}
