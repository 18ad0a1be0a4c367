// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>Adds a <see cref="TimeoutChatClient"/> to a <see cref="ChatClientBuilder"/>.</summary>
public static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a timeout. Placed inside <c>UseRetry</c> it limits each attempt; outside <c>UseFallback</c>, the whole call.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="timeout">The longest time a call (or a whole stream) may take, or <see langword="null"/> for none.</param>
    /// <param name="firstUpdateTimeout">The longest time a stream may take to produce its first update, or <see langword="null"/> for none.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, TimeSpan? timeout, TimeSpan? firstUpdateTimeout = null) =>
        builder.UseTimeout(options =>
        {
            options.Timeout = timeout;
            options.FirstUpdateTimeout = firstUpdateTimeout;
        });

    /// <summary>Adds a timeout configured by code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options. A <see cref="TimeProvider"/> registered in the services is used unless this sets another.</param>
    /// <returns>The builder; unchanged in effect when neither timeout is set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, Action<TimeoutChatClientOptions> configure) =>
        builder.UseTimeout(configure, evenWithoutLimits: false);

    /// <summary>Adds the per-attempt timeouts of a section: <c>Attempt</c> and <c>FirstUpdate</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Timeout</c>.</param>
    /// <returns>The builder; its client applies a call's own attempt and first-update timeouts even when the section sets none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        new TimeoutChatClientOptions().ReadAttempt(section);
        return builder.UseTimeout(options => options.ReadAttempt(section), evenWithoutLimits: true);
    }

    /// <summary>Adds the total timeout of a section: <c>Total</c>. Place it outside retry and fallback.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Timeout</c>.</param>
    /// <returns>The builder; its client applies a call's own total timeout even when the section sets none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The value is invalid; the message names the key.</exception>
    public static ChatClientBuilder UseTotalTimeout(this ChatClientBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        new TimeoutChatClientOptions().ReadTotal(section);
        return builder.UseTimeout(options => options.ReadTotal(section), evenWithoutLimits: true);
    }

    /// <summary>
    /// Adds the client; from configuration even without a configured limit (<c>Pipeline:Timeout:Enabled</c> = true and no
    /// value), so that a call's own timeout (<see cref="ChatOptionsTimeoutExtensions"/>) has a client to apply it.
    /// </summary>
    /// <summary>
    /// The configured Timeout stages' path: the limits read once from configuration, and a client even with none, so that
    /// a call can bring its own (<c>Pipeline:Timeout:Enabled = true</c> alone; see <see cref="ChatOptionsTimeoutExtensions"/>).
    /// </summary>
    internal static ChatClientBuilder UseConfiguredTimeout(this ChatClientBuilder builder, TimeoutChatClientOptions read) =>
        builder.UseTimeout(
            options =>
            {
                options.Timeout = read.Timeout;
                options.FirstUpdateTimeout = read.FirstUpdateTimeout;
                options.Scope = read.Scope;
            },
            evenWithoutLimits: true);

    private static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, Action<TimeoutChatClientOptions> configure, bool evenWithoutLimits)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.Use((inner, services) =>
        {
            var options = new TimeoutChatClientOptions { TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System };
            configure(options);
            return options.Timeout is null && options.FirstUpdateTimeout is null && !evenWithoutLimits
                ? inner
                : new TimeoutChatClient(inner, options, services.GetService<ILoggerFactory>()?.CreateLogger<TimeoutChatClient>());
        });
    }
}
