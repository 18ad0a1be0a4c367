// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Resilience;

/// <summary>
/// Retry with exponential backoff and jitter (<c>UseRetry</c>), on by default in configured pipelines. Keys:
/// <c>MaxAttempts</c> (3), <c>BaseDelay</c> (1s), <c>MaxDelay</c> (30s: the backoff cap and the longest Retry-After honoured), <c>UseJitter</c> (true).
/// </summary>
public sealed class RetryChatPipelineStage : ChatPipelineStage<RetryChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "Retry";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.Retry;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsRetryExtensions.MaxAttemptsKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) => true;

    /// <inheritdoc/>
    public override RetryChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new RetryChatClientOptions { TimeProvider = context.Services.GetService<TimeProvider>() ?? TimeProvider.System };
        options.Read(context.Section, errors);
        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, RetryChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseRetry(options));
}
