// Licensed under the MIT License.

using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// The stages Hosting brings itself, over Microsoft.Extensions.AI's own middleware (Defaults, Logging, OpenTelemetry, Cache,
/// FunctionInvocation); the middleware packages bring theirs (<c>AddResilienceChatPipelineStages()</c>,
/// <c>AddCostChatPipelineStages()</c>). docs/configuration.md lists their keys and defaults.
/// </summary>
internal static class BuiltInChatPipelineStages
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddChatPipelineStage(new DefaultsStage());
        services.AddChatPipelineStage(new LoggingStage());
        services.AddChatPipelineStage(new OpenTelemetryStage());
        services.AddChatPipelineStage(new CacheStage());
        services.AddChatPipelineStage(new FunctionInvocationStage());
    }
}
