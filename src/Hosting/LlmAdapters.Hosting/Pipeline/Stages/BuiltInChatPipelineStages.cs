// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Resilience;
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
        services.AddChatPipelineStage(new CostAccountingChatPipelineStage());
        services.AddChatPipelineStage(new ChatSpanCostChatPipelineStage());
        services.AddChatPipelineStage(new BudgetChatPipelineStage());
        services.AddChatPipelineStage(new TotalTimeoutChatPipelineStage());
        services.AddChatPipelineStage(new FallbackChatPipelineStage());
        services.AddChatPipelineStage(new RetryChatPipelineStage());
        services.AddChatPipelineStage(new AttemptTimeoutChatPipelineStage());
        services.AddChatPipelineStage(new RateLimitingChatPipelineStage());
        services.AddChatPipelineStage(new ApiKeyRotationChatPipelineStage());
    }
}
