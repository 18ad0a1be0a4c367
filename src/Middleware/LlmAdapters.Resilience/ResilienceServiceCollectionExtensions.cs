// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the resilience stages with configured chat clients.</summary>
public static class ResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the stages configured pipelines read from <c>AI:Pipeline</c>: <c>Timeout</c> (total, attempt and first
    /// update), <c>Fallback</c>, <c>Retry</c>, <c>RateLimit</c> and <c>ApiKeys</c>, and the registry that shares a
    /// <c>RateLimit:Shared</c> limiter within this application. Calling it again adds nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddResilienceChatPipelineStages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Limiters named by RateLimit:Shared are shared within this application, not across every host in the process.
        services.TryAddSingleton<ChatRateLimiterRegistry>();
        services.AddChatPipelineStage(new TotalTimeoutChatPipelineStage());
        services.AddChatPipelineStage(new FallbackChatPipelineStage());
        services.AddChatPipelineStage(new RetryChatPipelineStage());
        services.AddChatPipelineStage(new AttemptTimeoutChatPipelineStage());
        services.AddChatPipelineStage(new RateLimitingChatPipelineStage());
        services.AddChatPipelineStage(new ApiKeyRotationChatPipelineStage());
        return services;
    }
}
