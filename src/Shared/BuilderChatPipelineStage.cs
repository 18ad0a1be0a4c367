// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters;

/// <summary>The body of every builder-based stage's <c>Apply</c>.</summary>
internal static class BuilderChatPipelineStage
{
    /// <summary>Applies <c>Use…</c> extensions over the rest of a pipeline.</summary>
    public static IChatClient Build(IChatClient innerClient, ChatPipelineContext context, Action<ChatClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        ArgumentNullException.ThrowIfNull(context);
        var builder = new ChatClientBuilder(innerClient);
        configure(builder);
        return builder.Build(context.Services);
    }
}
