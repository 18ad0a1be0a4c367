// Licensed under the MIT License.

using System.Collections.Concurrent;

namespace LlmAdapters.Resilience;

/// <summary>
/// Limiters shared by name between clients (configuration key <c>RateLimit:Shared</c>): every client that names the same
/// limiter waits in the same queues, for example all the clients that use one API key.
/// </summary>
/// <remarks>Register one as a singleton to scope sharing to an application; otherwise <see cref="Shared"/> is used. Thread-safe.</remarks>
public sealed class ChatRateLimiterRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ChatRateLimiter>> _limiters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the process-wide registry used when the services hold none.</summary>
    public static ChatRateLimiterRegistry Shared { get; } = new();

    /// <summary>Gets the limiter of a name, creating it from the options the first time.</summary>
    /// <param name="name">The name.</param>
    /// <param name="options">The limits; every later caller must ask for the same ones.</param>
    /// <returns>The shared limiter.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The limiter exists with other limits.</exception>
    public ChatRateLimiter GetOrAdd(string name, RateLimitingChatClientOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        var limiter = _limiters.GetOrAdd(name, _ => new Lazy<ChatRateLimiter>(() => new ChatRateLimiter(options))).Value;
        if (limiter.RequestsPerMinute != options.RequestsPerMinute || limiter.TokensPerMinute != options.TokensPerMinute ||
            limiter.MaxConcurrency != options.MaxConcurrency)
        {
            throw new InvalidOperationException(
                $"The shared rate limiter '{name}' was created with other limits: every client that shares it must configure the same RequestsPerMinute, TokensPerMinute and MaxConcurrency.");
        }

        return limiter;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated)
            {
                limiter.Value.Dispose();
            }
        }

        _limiters.Clear();
    }
}
