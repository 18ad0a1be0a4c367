// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Rate, token and concurrency limits (<c>UseRateLimiting</c>), on when any limit is set. Keys under <c>RateLimit</c>:
/// <c>RequestsPerMinute</c>, <c>TokensPerMinute</c>, <c>MaxConcurrency</c> (no defaults), <c>QueueLimit</c> (128), <c>Shared</c>
/// (a name: clients that give the same one share the limiter, e.g. all clients on one API key).
/// </summary>
public sealed class RateLimitingChatPipelineStage : ChatPipelineStage<RateLimitingChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "RateLimit";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.RateLimiting;

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context)
    {
        var section = context.Section;
        return !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.RequestsPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.TokensPerMinuteKey]) ||
               !string.IsNullOrWhiteSpace(section[RateLimitingChatClientOptions.MaxConcurrencyKey]);
    }

    /// <inheritdoc/>
    public override RateLimitingChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new RateLimitingChatClientOptions();
        options.Read(context.Section, errors);

        // With a shared store registered (AI:Redis), the limits hold across processes: under the RateLimit:Shared
        // name when given, else under the client's name.
        if (context.Services.GetService(typeof(IChatRateLimitStore)) is IChatRateLimitStore store)
        {
            options.Store = store;
            options.SharedName ??= "client:" + context.ClientName;
        }

        return options;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, RateLimitingChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseRateLimiting(o =>
        {
            // The builder's options carry the services' clock and token estimator; the values come from the read.
            o.RequestsPerMinute = options.RequestsPerMinute;
            o.TokensPerMinute = options.TokensPerMinute;
            o.MaxConcurrency = options.MaxConcurrency;
            o.QueueLimit = options.QueueLimit;
            o.SharedName = options.SharedName;
            o.Store = options.Store;
        }));
}
