// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Retry with exponential backoff and jitter (<c>UseRetry</c>), on by default in configured pipelines. Keys:
/// <c>MaxAttempts</c> (3), <c>BaseDelay</c> (1s), <c>MaxDelay</c> (30s: the backoff cap and the longest Retry-After honoured), <c>UseJitter</c> (true).
/// </summary>
internal sealed class RetryStage : BuilderChatPipelineStage
{
    public override string Name => "Retry";

    public override int Order => ChatPipelineOrder.Retry;

    public override bool IsEnabled(ChatPipelineContext context) => true;

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        try
        {
            new RetryChatClientOptions().Bind(context.Section);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) => builder.UseRetry(context.Section);
}
