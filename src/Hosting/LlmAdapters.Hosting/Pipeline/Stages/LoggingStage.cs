// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>M.E.AI's logging middleware (<c>UseLogging</c>), on by default; it logs content only at Trace level.</summary>
internal sealed class LoggingStage : BuilderChatPipelineStage<ChatClientSettings>
{
    public override string Name => "Logging";

    public override int Order => ChatPipelineOrder.Logging;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override ChatClientSettings Read(ChatPipelineContext context, List<string> errors) => context.Settings;

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, ChatClientSettings options)
    {
        // M.E.AI's logging client logs invocations (Debug) and content (Trace); its failure events, always Error with the
        // stack trace, are left to the outcome client, which logs each failure once at the level its kind deserves.
        var loggers = context.Services.GetService<ILoggerFactory>();
        builder.UseLogging(loggers is null ? null : new InvocationFailureFilteringLoggerFactory(loggers));
        var logger = (ILogger?)loggers?.CreateLogger<CallOutcomeChatClient>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var timeProvider = context.Services.GetService<TimeProvider>() ?? TimeProvider.System;
        IReadOnlyList<string?> keys = [context.Settings.ApiKey, .. context.Settings.ApiKeys];
        builder.Use(inner => new CallOutcomeChatClient(inner, context.ClientName, logger, timeProvider, keys));
    }
}
