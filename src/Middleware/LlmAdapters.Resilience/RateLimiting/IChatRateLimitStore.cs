// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// Where a <see cref="ChatRateLimiter"/> shares its windows and concurrency slots with other processes (for example on
/// Redis): the limiter asks it first, and falls back to its own in-process windows when the store throws. Without a store
/// (the default) every limit is kept in the memory of the process.
/// </summary>
/// <remarks>
/// A store that wants calls refused rather than limited in process while it is unavailable throws a
/// <see cref="ChatProviderException"/>, which the limiter lets through. Implementations must be thread-safe.
/// </remarks>
public interface IChatRateLimitStore
{
    /// <summary>Takes one request, <paramref name="tokens"/> tokens and one concurrency slot, all or nothing.</summary>
    /// <param name="name">The shared limiter's name (<see cref="RateLimitingChatClientOptions.SharedName"/>).</param>
    /// <param name="limiter">The limiter, for its limits.</param>
    /// <param name="leaseId">A unique id of this acquisition, given again to <see cref="ReleaseAsync"/>.</param>
    /// <param name="tokens">The estimated tokens of the call (0 when tokens are not limited).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see cref="TimeSpan.Zero"/> when everything was taken; otherwise how long to wait before asking again (nothing was taken).</returns>
    ValueTask<TimeSpan> TryAcquireAsync(string name, ChatRateLimiter limiter, string leaseId, int tokens, CancellationToken cancellationToken);

    /// <summary>Ends an acquisition: frees its concurrency slot and replaces its estimated tokens by the real ones.</summary>
    /// <param name="name">The shared limiter's name.</param>
    /// <param name="limiter">The limiter, for its limits.</param>
    /// <param name="leaseId">The id given to <see cref="TryAcquireAsync"/>.</param>
    /// <param name="reservedTokens">The tokens taken by <see cref="TryAcquireAsync"/>.</param>
    /// <param name="usedTokens">The tokens the call really used.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask ReleaseAsync(string name, ChatRateLimiter limiter, string leaseId, int reservedTokens, int usedTokens, CancellationToken cancellationToken);
}
