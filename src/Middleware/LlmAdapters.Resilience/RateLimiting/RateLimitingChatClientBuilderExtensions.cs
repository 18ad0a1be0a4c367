// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>Adds a <see cref="RateLimitingChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>Adds rate, token and concurrency limits configured by code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the limits. A <see cref="TimeProvider"/>, an <see cref="ITokenEstimator"/> and a
    /// <see cref="ChatRateLimiterRegistry"/> registered in the services are used unless this sets others.</param>
    /// <returns>The builder; unchanged in effect when no limit is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder, Action<RateLimitingChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use((inner, services) =>
        {
            var options = new RateLimitingChatClientOptions
            {
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
                TokenEstimator = services.GetService<ITokenEstimator>(),
            };
            configure(options);
            if (options.SharedLimiter is null && options.SharedName is { } name && options.HasLimits)
            {
                var registry = services.GetService<ChatRateLimiterRegistry>() ?? ChatRateLimiterRegistry.Shared;
                options.SharedLimiter = registry.GetOrAdd(name, options);
            }

            return options.HasLimits
                ? new RateLimitingChatClient(inner, options, services.GetService<ILoggerFactory>()?.CreateLogger<RateLimitingChatClient>())
                : inner;
        });
    }

    /// <summary>Adds limits that share one <see cref="ChatRateLimiter"/> with other clients.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="limiter">The shared limiter; the caller owns it.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="limiter"/> is null.</exception>
    public static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder, ChatRateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        return builder.UseRateLimiting(options => options.SharedLimiter = limiter);
    }

    /// <summary>Adds the limits of a section: <c>RequestsPerMinute</c>, <c>TokensPerMinute</c>, <c>MaxConcurrency</c>, <c>QueueLimit</c>, <c>Shared</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:RateLimit</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        new RateLimitingChatClientOptions().Read(section);
        return builder.UseRateLimiting(options => options.Read(section));
    }
}
