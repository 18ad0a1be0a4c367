// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>
/// A pipeline stage written against M.E.AI's <see cref="ChatClientBuilder"/> extensions (<c>UseRetry</c>, <c>UseBudget</c>…):
/// it implements <see cref="IChatPipelineStage.Apply"/> once, over a builder. Linked as source into each package that ships
/// stages, so that the contract package stays free of Microsoft.Extensions.AI itself.
/// </summary>
internal abstract class BuilderChatPipelineStage : IChatPipelineStage
{
    public abstract string Name { get; }

    public abstract int Order { get; }

    public abstract bool IsEnabled(ChatPipelineContext context);

    public abstract IEnumerable<string> Validate(ChatPipelineContext context);

    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) => Build(innerClient, context, builder => Configure(builder, context));

    /// <summary>Applies <c>Use…</c> extensions over the rest of a pipeline: the body of every builder-based stage's <see cref="IChatPipelineStage.Apply"/>.</summary>
    public static IChatClient Build(IChatClient innerClient, ChatPipelineContext context, Action<ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        ArgumentNullException.ThrowIfNull(context);
        var builder = new ChatClientBuilder(innerClient);
        configure(builder);
        return builder.Build(context.Services);
    }

    /// <summary>Adds the stage's middleware to a builder over the rest of the pipeline.</summary>
    protected abstract void Configure(ChatClientBuilder builder, ChatPipelineContext context);
}
