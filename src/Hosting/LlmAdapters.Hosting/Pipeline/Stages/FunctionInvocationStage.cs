// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's function invocation middleware, configured so that a tool loop cannot run away (<see cref="ToolLoopChatClient"/>):
/// runs the tool loop. On by default. Keys: <c>MaximumIterationsPerRequest</c> (default 8),
/// <c>MaximumConsecutiveErrors</c> (default 2), <c>AllowConcurrentInvocation</c>, <c>IncludeDetailedErrors</c>. Per call:
/// <see cref="ChatOptionsToolLoopExtensions"/> (lower only). What a run costs and its run budget (<c>AI:Pipeline:Budget:Run</c>)
/// come from the package that registers an <see cref="IToolRunAccountingFactory"/> (LlmAdapters.Cost).
/// </summary>
internal sealed class FunctionInvocationStage : BuilderChatPipelineStage<FunctionInvocationStage.Options>
{
    /// <summary>
    /// The default iteration limit. M.E.AI's is 40: a model that keeps asking for tools makes 41 requests for one call.
    /// Eight rounds of tool calls cover the agents we know of (a lookup, a follow-up, a correction…) and bound the
    /// worst case at 9 requests; a loop that needs more says so in configuration.
    /// </summary>
    internal const int DefaultMaximumIterations = 8;

    /// <summary>
    /// The default limit of failed rounds in a row (M.E.AI's is 3): the model is told what was wrong, may try again
    /// once more, and a third failure ends the run: 3 requests for a model that keeps sending bad arguments.
    /// </summary>
    internal const int DefaultMaximumConsecutiveErrors = 2;

    public override string Name => "FunctionInvocation";

    public override int Order => ChatPipelineOrder.FunctionInvocation;

    public override IReadOnlyCollection<string> CallOverrideKeys =>
        [ChatOptionsToolLoopExtensions.MaxIterationsKey, ChatOptionsToolLoopExtensions.MaxConsecutiveErrorsKey];

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override Options Read(ChatPipelineContext context, List<string> errors) => new(
        ConfigurationReader.GetInt32(context.Section, "MaximumIterationsPerRequest", 1, errors, context.SectionPath, maximum: 100) ?? DefaultMaximumIterations,
        ConfigurationReader.GetInt32(context.Section, "MaximumConsecutiveErrors", 0, errors, context.SectionPath, maximum: 10) ?? DefaultMaximumConsecutiveErrors,
        ConfigurationReader.GetBoolean(context.Section, "AllowConcurrentInvocation", errors, context.SectionPath),
        ConfigurationReader.GetBoolean(context.Section, "IncludeDetailedErrors", errors, context.SectionPath));

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, Options options)
    {
        var services = context.Services;
        var settings = new ToolLoopSettings(
            options.MaximumIterationsPerRequest,
            options.MaximumConsecutiveErrors,
            Accounting(context),
            services.GetService<TimeProvider>() ?? TimeProvider.System);
        builder.Use((inner, sp) =>
        {
            var client = new ToolLoopChatClient(inner, settings, sp.GetService<ILoggerFactory>(), sp);
            client.AllowConcurrentInvocation = options.AllowConcurrentInvocation ?? client.AllowConcurrentInvocation;
            client.IncludeDetailedErrors = options.IncludeDetailedErrors ?? client.IncludeDetailedErrors;
            return client;
        });
    }

    // What the packages add to each run (LlmAdapters.Cost: its cost and the run budget), through Hosting.Abstractions'
    // seam: Hosting references none of them. The first package that accounts for the client's runs does.
    private static IToolRunAccounting? Accounting(ChatPipelineContext context)
    {
        foreach (var factory in context.Services.GetServices<IToolRunAccountingFactory>())
        {
            if (factory.Create(context) is { } accounting)
            {
                return accounting;
            }
        }

        return null;
    }

    /// <summary>The keys of the stage's section, read once.</summary>
    internal sealed record Options(int MaximumIterationsPerRequest, int MaximumConsecutiveErrors, bool? AllowConcurrentInvocation, bool? IncludeDetailedErrors);
}
