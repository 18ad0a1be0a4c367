// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Rate, token and concurrency limits (<c>UseRateLimiting</c>), on when any limit is set. Keys under <c>RateLimit</c>:
/// <c>RequestsPerMinute</c>, <c>TokensPerMinute</c>, <c>MaxConcurrency</c> (no defaults), <c>QueueLimit</c> (128), <c>Shared</c>
/// (a name: clients that give the same one share the limiter, e.g. all clients on one API key).
/// </summary>
public sealed class RateLimitingChatPipelineStage : IChatPipelineStage
{
    /// <inheritdoc/>
    public string Name => "RateLimit";

    /// <inheritdoc/>
    public int Order => ChatPipelineOrder.RateLimiting;

    /// <inheritdoc/>
    public bool IsEnabled(ChatPipelineContext context)
    {
        var section = context.Section;
        return !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.RequestsPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.TokensPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.MaxConcurrencyKey]);
    }

    /// <inheritdoc/>
    public IEnumerable<string> Validate(ChatPipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        new RateLimitingChatClientOptions().Read(context.Section, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient Apply(IChatClient innerClient, ChatPipelineContext context) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseRateLimiting(context.Section));
}
