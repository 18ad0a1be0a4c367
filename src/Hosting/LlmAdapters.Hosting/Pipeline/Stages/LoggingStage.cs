// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>M.E.AI's logging middleware (<c>UseLogging</c>), on by default; it logs content only at Trace level.</summary>
internal sealed class LoggingStage : BuilderChatPipelineStage
{
    public override string Name => "Logging";

    public override int Order => ChatPipelineOrder.Logging;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override IEnumerable<string> Validate(ChatPipelineContext context) => [];

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) =>
        builder.UseLogging(context.Services.GetService<ILoggerFactory>());
}
