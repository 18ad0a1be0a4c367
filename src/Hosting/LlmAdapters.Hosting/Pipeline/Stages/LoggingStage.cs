// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>M.E.AI's logging middleware (<c>UseLogging</c>), on by default; it logs content only at Trace level.</summary>
internal sealed class LoggingStage : IChatPipelineStage
{
    public string Name => "Logging";

    public int Order => ChatPipelineOrder.Logging;

    public bool IsEnabled(ChatPipelineContext context) => true;

    public IEnumerable<string> Validate(ChatPipelineContext context) => [];

    public void Configure(ChatClientBuilder builder, ChatPipelineContext context) =>
        builder.UseLogging(context.Services.GetService<ILoggerFactory>());
}
