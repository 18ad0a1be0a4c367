// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// The total timeout of a call, across retries and fallbacks (<c>UseTotalTimeout</c>). Key: <c>Timeout:Total</c> (no default:
/// on when set). Shares the <c>Timeout</c> section with <see cref="AttemptTimeoutChatPipelineStage"/>.
/// </summary>
public sealed class TotalTimeoutChatPipelineStage : ChatPipelineStage<TimeoutChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "Timeout";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.TotalTimeout;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTimeoutExtensions.TotalKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) => !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.TotalKey]);

    /// <inheritdoc/>
    public override TimeoutChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new TimeoutChatClientOptions();
        options.ReadTotal(context.Section, errors);
        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, TimeoutChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseConfiguredTimeout(options));
}
