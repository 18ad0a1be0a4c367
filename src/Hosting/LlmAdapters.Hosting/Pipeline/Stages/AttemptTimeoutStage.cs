// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// The timeout of each attempt, and of a stream's first update (<c>UseTimeout</c>), inside retry so that an expired attempt is
/// retried. Keys: <c>Timeout:Attempt</c>, <c>Timeout:FirstUpdate</c> (no defaults: on when either is set). Shares the
/// <c>Timeout</c> section with <see cref="TotalTimeoutStage"/>.
/// </summary>
internal sealed class AttemptTimeoutStage : BuilderChatPipelineStage
{
    public override string Name => "Timeout";

    public override int Order => ChatPipelineOrder.AttemptTimeout;

    public override bool IsEnabled(ChatPipelineContext context) =>
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.AttemptKey]) ||
        !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.FirstUpdateKey]);

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        try
        {
            new TimeoutChatClientOptions().BindAttempt(context.Section);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) => builder.UseTimeout(context.Section);
}
