// Licensed under the MIT License.


namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers every LlmAdapters provider and middleware stage with configured chat clients.</summary>
public static class LlmAdaptersServiceCollectionExtensions
{
    /// <summary>
    /// Registers every built-in provider (the OpenAI-compatible presets with both implementations, <c>anthropic</c>,
    /// <c>gemini</c>, <c>ollama</c>, <c>dashscope-native</c>), every middleware stage (resilience, cost and budgets, with OpenAI's tokenizers for token estimates) and the
    /// shared state on Redis when <c>AI:Redis</c> is configured. <c>AddConfiguredChatClients</c> calls it by itself when this
    /// package is referenced; calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLlmAdapters(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenAIChatProviders();
        services.AddOpenAISdkImplementation();
        services.AddAnthropicChatProvider();
        services.AddGeminiChatProvider();
        services.AddOllamaChatProvider();
        services.AddDashScopeChatProvider();
        services.AddResilienceChatPipelineStages();
        services.AddCostChatPipelineStages();
        services.AddTiktokenTokenEstimator();
        services.AddRedisChatState();
        return services;
    }
}
