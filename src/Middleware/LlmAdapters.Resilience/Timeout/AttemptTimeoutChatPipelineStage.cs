// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// The timeout of each attempt, and of a stream's first update (<c>UseTimeout</c>), inside retry so that an expired attempt is
/// retried. Keys: <c>Timeout:Attempt</c>, <c>Timeout:FirstUpdate</c> (no defaults: on when either is set). Shares the
/// <c>Timeout</c> section with <see cref="TotalTimeoutChatPipelineStage"/>.
/// </summary>
public sealed class AttemptTimeoutChatPipelineStage : IChatPipelineStage
{
    /// <inheritdoc/>
    public string Name => "Timeout";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.AttemptTimeout;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTimeoutExtensions.AttemptKey, ChatOptionsTimeoutExtensions.FirstUpdateKey];

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context) =>
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.AttemptKey]) ||
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.FirstUpdateKey]);

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        new TimeoutChatClientOptions().ReadAttempt(context.Section, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseTimeout(context.Section));
}
