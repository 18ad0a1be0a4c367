// Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>The stages every configured pipeline knows; docs/configuration.md lists their keys and defaults.</summary>
internal static class BuiltInChatPipelineStages
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddChatPipelineStage(new DefaultsStage());
        services.AddChatPipelineStage(new LoggingStage());
        services.AddChatPipelineStage(new OpenTelemetryStage());
        services.AddChatPipelineStage(new CacheStage());
        services.AddChatPipelineStage(new FunctionInvocationStage());
        services.AddChatPipelineStage(new CostAccountingStage());
        services.AddChatPipelineStage(new BudgetStage());
        services.AddChatPipelineStage(new TotalTimeoutStage());
        services.AddChatPipelineStage(new FallbackStage());
        services.AddChatPipelineStage(new RetryStage());
        services.AddChatPipelineStage(new AttemptTimeoutStage());
        services.AddChatPipelineStage(new RateLimitingStage());
        services.AddChatPipelineStage(new ApiKeysStage());
    }
}
