// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Retry with exponential backoff and jitter (<c>UseRetry</c>), on by default in configured pipelines. Keys:
/// <c>MaxAttempts</c> (3), <c>BaseDelay</c> (1s), <c>MaxDelay</c> (30s: the backoff cap and the longest Retry-After honoured), <c>UseJitter</c> (true).
/// </summary>
public sealed class RetryChatPipelineStage : IChatPipelineStage
{
    /// <inheritdoc/>
    public string Name => "Retry";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.Retry;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsRetryExtensions.MaxAttemptsKey];

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context) => true;

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        new RetryChatClientOptions().Read(context.Section, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseRetry(context.Section));
}
