// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's function invocation middleware (<c>UseFunctionInvocation</c>): runs the tool loop. On by default. Keys:
/// <c>MaximumIterationsPerRequest</c>, <c>AllowConcurrentInvocation</c>, <c>IncludeDetailedErrors</c>.
/// </summary>
internal sealed class FunctionInvocationStage : BuilderChatPipelineStage<FunctionInvocationStage.Options>
{
    public override string Name => "FunctionInvocation";

    public override int Order => ChatPipelineOrder.FunctionInvocation;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override Options Read(ChatPipelineContext context, List<string> errors) => new(
        ConfigurationReader.GetInt32(context.Section, "MaximumIterationsPerRequest", 1, errors, context.SectionPath),
        ConfigurationReader.GetBoolean(context.Section, "AllowConcurrentInvocation", errors, context.SectionPath),
        ConfigurationReader.GetBoolean(context.Section, "IncludeDetailedErrors", errors, context.SectionPath));

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, Options options)
    {
        var (maximumIterations, concurrent, detailed) = options;
        builder.UseFunctionInvocation(context.Services.GetService<ILoggerFactory>(), client =>
        {
            if (maximumIterations is { } max)
            {
                client.MaximumIterationsPerRequest = max;
            }

            client.AllowConcurrentInvocation = concurrent ?? client.AllowConcurrentInvocation;
            client.IncludeDetailedErrors = detailed ?? client.IncludeDetailedErrors;
            client.FunctionInvoker = InvokeUnlessArgumentsFailed;
        });
    }

    // A call whose arguments did not parse (not JSON, or not a JSON object: FunctionCallContent.Exception, set by every
    // adapter) never runs with no arguments: its failure goes back to the model as the call's result (issue 20, N13).
    // No ConfigureAwait: this runs the user's tool, as Microsoft.Extensions.AI's own invocation does.
    private static ValueTask<object?> InvokeUnlessArgumentsFailed(FunctionInvocationContext context, CancellationToken cancellationToken) =>
        context.CallContent.Exception is { } parseFailure
            ? ValueTask.FromException<object?>(new InvalidOperationException("The call's arguments could not be read: " + parseFailure.Message, parseFailure))
            : context.Function.InvokeAsync(context.Arguments, cancellationToken);

    /// <summary>The keys of the stage's section, read once.</summary>
    internal sealed record Options(int? MaximumIterationsPerRequest, bool? AllowConcurrentInvocation, bool? IncludeDetailedErrors);
}
