// Licensed under the MIT License.

using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Rate, token and concurrency limits (<c>UseRateLimiting</c>), on when any limit is set. Keys under <c>RateLimit</c>:
/// <c>RequestsPerMinute</c>, <c>TokensPerMinute</c>, <c>MaxConcurrency</c> (no defaults), <c>QueueLimit</c> (128), <c>Shared</c>
/// (a name: clients that give the same one share the limiter, e.g. all clients on one API key).
/// </summary>
internal sealed class RateLimitingStage : BuilderChatPipelineStage
{
    public override string Name => "RateLimit";

    public override int Order => ChatPipelineOrder.RateLimiting;

    public override bool IsEnabled(ChatPipelineContext context)
    {
        var section = context.Section;
        return !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.RequestsPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.TokensPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.MaxConcurrencyKey]);
    }

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        try
        {
            new RateLimitingChatClientOptions().Bind(context.Section);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context) => builder.UseRateLimiting(context.Section);
}
