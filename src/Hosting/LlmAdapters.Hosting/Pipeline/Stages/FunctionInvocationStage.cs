// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's function invocation middleware (<c>UseFunctionInvocation</c>): runs the tool loop. On by default. Keys:
/// <c>MaximumIterationsPerRequest</c>, <c>AllowConcurrentInvocation</c>, <c>IncludeDetailedErrors</c>.
/// </summary>
internal sealed class FunctionInvocationStage : BuilderChatPipelineStage
{
    public override string Name => "FunctionInvocation";

    public override int Order => ChatPipelineOrder.FunctionInvocation;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        var errors = new List<string>();
        ConfigurationReader.GetInt32(context.Section, "MaximumIterationsPerRequest", 1, errors, context.SectionPath);
        ConfigurationReader.GetBoolean(context.Section, "AllowConcurrentInvocation", errors, context.SectionPath);
        ConfigurationReader.GetBoolean(context.Section, "IncludeDetailedErrors", errors, context.SectionPath);
        return errors;
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context)
    {
        var section = context.Section;
        var maximumIterations = ConfigurationReader.GetInt32(section, "MaximumIterationsPerRequest", 1, [], context.SectionPath);
        var concurrent = ConfigurationReader.GetBoolean(section, "AllowConcurrentInvocation", [], context.SectionPath);
        var detailed = ConfigurationReader.GetBoolean(section, "IncludeDetailedErrors", [], context.SectionPath);
        builder.UseFunctionInvocation(context.Services.GetService<ILoggerFactory>(), client =>
        {
            if (maximumIterations is { } max)
            {
                client.MaximumIterationsPerRequest = max;
            }

            client.AllowConcurrentInvocation = concurrent ?? client.AllowConcurrentInvocation;
            client.IncludeDetailedErrors = detailed ?? client.IncludeDetailedErrors;
        });
    }
}
