// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// The timeout of each attempt, and of a stream's first update (<c>UseTimeout</c>), inside retry so that an expired attempt is
/// retried. Keys: <c>Timeout:Attempt</c>, <c>Timeout:FirstUpdate</c> (no defaults: on when either is set). Shares the
/// <c>Timeout</c> section with <see cref="TotalTimeoutChatPipelineStage"/>.
/// </summary>
public sealed class AttemptTimeoutChatPipelineStage : ChatPipelineStage<TimeoutChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "Timeout";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.AttemptTimeout;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTimeoutExtensions.AttemptKey, ChatOptionsTimeoutExtensions.FirstUpdateKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) =>
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.AttemptKey]) ||
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.FirstUpdateKey]);

    /// <inheritdoc/>
    public override TimeoutChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new TimeoutChatClientOptions();
        options.ReadAttempt(context.Section, errors);
        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, TimeoutChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseConfiguredTimeout(options));
}
