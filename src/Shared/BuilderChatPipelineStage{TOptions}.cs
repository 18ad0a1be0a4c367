// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>
/// A pipeline stage written against M.E.AI's <see cref="ChatClientBuilder"/> extensions (<c>UseRetry</c>, <c>UseBudget</c>…):
/// it implements <see cref="ChatPipelineStage{TOptions}.Apply"/> once, over a builder, from the options it read. Linked as
/// source into each package that ships stages, so that the contract package stays free of Microsoft.Extensions.AI itself.
/// </summary>
/// <typeparam name="TOptions">What the stage reads from its section.</typeparam>
internal abstract class BuilderChatPipelineStage<TOptions> : ChatPipelineStage<TOptions>
{
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, TOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => Configure(builder, context, options));

    /// <summary>Adds the stage's middleware, built from the options read, to a builder over the rest of the pipeline.</summary>
    protected abstract void Configure(ChatClientBuilder builder, ChatPipelineContext context, TOptions options);
}
