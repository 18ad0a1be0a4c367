// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// The total timeout of a call, across retries and fallbacks (<c>UseTotalTimeout</c>). Key: <c>Timeout:Total</c> (no default:
/// on when set). Shares the <c>Timeout</c> section with <see cref="AttemptTimeoutStage"/>.
/// </summary>
internal sealed class TotalTimeoutStage : BuilderChatPipelineStage
{
    public override string Name => "Timeout";

    public override int Order => ChatPipelineOrder.TotalTimeout;

    public override bool IsEnabled(ChatPipelineContext context) => !string.IsNullOrWhiteSpace(context.Section[TimeoutChatClientOptions.TotalKey]);

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        try
        {
            new TimeoutChatClientOptions().BindTotal(context.Section);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) => builder.UseTotalTimeout(context.Section);
}
