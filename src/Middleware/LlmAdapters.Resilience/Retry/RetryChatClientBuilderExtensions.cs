// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>Adds a <see cref="RetryChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class RetryChatClientBuilderExtensions
{
    /// <summary>Adds retries with the defaults: 3 attempts, exponential backoff from 1 s with jitter, at most 30 s between attempts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options, or <see langword="null"/>. A <see cref="TimeProvider"/> registered in the services is used unless this sets another.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ChatClientBuilder UseRetry(this ChatClientBuilder builder, Action<RetryChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var options = new RetryChatClientOptions { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System };
            configure?.Invoke(options);
            return Create(inner, services, options);
        });
    }

    /// <summary>Adds retries with the given options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is null.</exception>
    public static ChatClientBuilder UseRetry(this ChatClientBuilder builder, RetryChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.Use((inner, services) => Create(inner, services, options));
    }

    /// <summary>Adds retries configured by a section (<c>MaxAttempts</c>, <c>BaseDelay</c>, <c>MaxDelay</c>, <c>UseJitter</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Retry</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseRetry(this ChatClientBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        new RetryChatClientOptions().Read(section);
        return builder.UseRetry(options => options.Read(section));
    }

    private static RetryChatClient Create(IChatClient inner, IServiceProvider services, RetryChatClientOptions options) =>
        new RetryChatClient(inner, options, services.GetService<ILoggerFactory>()?.CreateLogger<RetryChatClient>());
}
