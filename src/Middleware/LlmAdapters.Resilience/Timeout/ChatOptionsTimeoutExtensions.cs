// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Per-call overrides of <see cref="TimeoutChatClient"/> carried in <see cref="ChatOptions.AdditionalProperties"/>: a
/// timeout of this call replaces the configured one of the same kind (total, attempt, first update), or removes it. The
/// total-timeout client reads <see cref="TotalKey"/>; the attempt-timeout client reads <see cref="AttemptKey"/> and
/// <see cref="FirstUpdateKey"/>. A call's timeout applies where the pipeline has that timeout client (the <c>Timeout</c>
/// stage is on when a value is configured, or with <c>Pipeline:Timeout:Enabled</c> = <see langword="true"/>).
/// </summary>
public static class ChatOptionsTimeoutExtensions
{
    /// <summary>The key of this call's total timeout (a <see cref="TimeSpan"/>, a number of seconds, or <c>none</c>).</summary>
    public const string TotalKey = "llmadapters.timeout.total";

    /// <summary>The key of this call's per-attempt timeout (a <see cref="TimeSpan"/>, a number of seconds, or <c>none</c>).</summary>
    public const string AttemptKey = "llmadapters.timeout.attempt";

    /// <summary>The key of this call's first-update timeout for a stream (a <see cref="TimeSpan"/>, a number of seconds, or <c>none</c>).</summary>
    public const string FirstUpdateKey = "llmadapters.timeout.first_update";

    /// <summary>Sets this call's total timeout, across retries and fallbacks, instead of the configured <c>Timeout:Total</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeout">A positive duration, or <see cref="Timeout.InfiniteTimeSpan"/> for no total limit.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (nor infinite) or too long.</exception>
    public static ChatOptions WithTotalTimeout(this ChatOptions options, TimeSpan timeout) => Set(options, TotalKey, timeout);

    /// <summary>Sets this call's per-attempt timeout instead of the configured <c>Timeout:Attempt</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeout">A positive duration, or <see cref="Timeout.InfiniteTimeSpan"/> for no per-attempt limit.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (nor infinite) or too long.</exception>
    public static ChatOptions WithAttemptTimeout(this ChatOptions options, TimeSpan timeout) => Set(options, AttemptKey, timeout);

    /// <summary>Sets how long this call's stream may take to produce its first update, instead of the configured <c>Timeout:FirstUpdate</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeout">A positive duration, or <see cref="Timeout.InfiniteTimeSpan"/> for no first-update limit.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive (nor infinite) or too long.</exception>
    public static ChatOptions WithFirstUpdateTimeout(this ChatOptions options, TimeSpan timeout) => Set(options, FirstUpdateKey, timeout);

    /// <summary>Removes every configured timeout (total, attempt, first update) for this call.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithoutTimeouts(this ChatOptions options) =>
        options.WithTotalTimeout(Timeout.InfiniteTimeSpan).WithAttemptTimeout(Timeout.InfiniteTimeSpan).WithFirstUpdateTimeout(Timeout.InfiniteTimeSpan);

    /// <summary>Gets this call's total timeout override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The timeout, <see cref="Timeout.InfiniteTimeSpan"/> for none, or <see langword="null"/> when the call does not override it.</returns>
    /// <exception cref="ArgumentException">The value is not a positive duration nor <c>none</c>: a mistake, never ignored.</exception>
    public static TimeSpan? GetTotalTimeout(this ChatOptions? options) => ChatCallOverrides.GetDuration(options, TotalKey);

    /// <summary>Gets this call's per-attempt timeout override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The timeout, <see cref="Timeout.InfiniteTimeSpan"/> for none, or <see langword="null"/> when the call does not override it.</returns>
    /// <exception cref="ArgumentException">The value is not a positive duration nor <c>none</c>: a mistake, never ignored.</exception>
    public static TimeSpan? GetAttemptTimeout(this ChatOptions? options) => ChatCallOverrides.GetDuration(options, AttemptKey);

    /// <summary>Gets this call's first-update timeout override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The timeout, <see cref="Timeout.InfiniteTimeSpan"/> for none, or <see langword="null"/> when the call does not override it.</returns>
    /// <exception cref="ArgumentException">The value is not a positive duration nor <c>none</c>: a mistake, never ignored.</exception>
    public static TimeSpan? GetFirstUpdateTimeout(this ChatOptions? options) => ChatCallOverrides.GetDuration(options, FirstUpdateKey);

    private static ChatOptions Set(ChatOptions options, string key, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, ChatCallOverrides.MaxDuration);
        }

        return ChatCallOverrides.Set(options, key, timeout);
    }
}
