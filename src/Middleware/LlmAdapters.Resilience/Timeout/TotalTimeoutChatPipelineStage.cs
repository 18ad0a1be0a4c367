// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// The total timeout of a call, across retries and fallbacks (<c>UseTotalTimeout</c>). Key: <c>Timeout:Total</c> (no default:
/// on when set). Shares the <c>Timeout</c> section with <see cref="AttemptTimeoutChatPipelineStage"/>.
/// </summary>
public sealed class TotalTimeoutChatPipelineStage : IChatPipelineStage
{
    /// <inheritdoc/>
    public string Name => "Timeout";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.TotalTimeout;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsTimeoutExtensions.TotalKey];

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context) => !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.TotalKey]);

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        new TimeoutChatClientOptions().ReadTotal(context.Section, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseTotalTimeout(context.Section));
}
