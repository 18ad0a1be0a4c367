// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Per-call overrides of <see cref="RetryChatClient"/> carried in <see cref="ChatOptions.AdditionalProperties"/>: the number of
/// attempts of this call, or no retry at all. Only the retry stage reads its key; adapters do not send keys with a dot to providers.
/// </summary>
public static class ChatOptionsRetryExtensions
{
    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> that holds this call's attempts (an <see cref="int"/>, 1 = no retry).</summary>
    public const string MaxAttemptsKey = "llmadapters.retry.max_attempts";

    /// <summary>The largest number of attempts a call may ask for.</summary>
    public const int MaxAttemptsLimit = 10;

    /// <summary>Sets how many attempts this call gets (the first one included), instead of the configured <see cref="RetryChatClientOptions.MaxAttempts"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="maxAttempts">From 1 (no retry) to <see cref="MaxAttemptsLimit"/>.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> is out of range.</exception>
    public static ChatOptions WithMaxAttempts(this ChatOptions options, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxAttempts, MaxAttemptsLimit);
        return ChatCallOverrides.Set(options, MaxAttemptsKey, maxAttempts);
    }

    /// <summary>Turns retry off for this call (one attempt).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithoutRetry(this ChatOptions options) => options.WithMaxAttempts(1);

    /// <summary>Gets this call's attempts override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The attempts, or <see langword="null"/> when the call does not override them.</returns>
    /// <exception cref="ArgumentException">The value is not a whole number from 1 to <see cref="MaxAttemptsLimit"/>: a mistake, never ignored.</exception>
    public static int? GetMaxAttempts(this ChatOptions? options) =>
        ChatCallOverrides.GetInt32(options, MaxAttemptsKey, 1, MaxAttemptsLimit);
}
