// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// Where an <see cref="ApiKeyRotationChatClient"/> shares its keys' cool-downs with other processes (for example on
/// Redis), so that a key cooled down by one process is skipped by all. Keys are known by position only, within a scope
/// (<see cref="ApiKeyRotationChatClientOptions.CooldownScope"/>). Without a store (the default) cool-downs are kept in
/// the memory of the process; while the store fails they are too.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IApiKeyCooldownStore
{
    /// <summary>Reads the cool-downs of a scope that have not ended.</summary>
    /// <param name="scope">The scope, e.g. the client name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The cool-downs.</returns>
    ValueTask<IReadOnlyList<ApiKeyCooldown>> GetAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Puts a key on cool-down for every process (a later end wins over an earlier one).</summary>
    /// <param name="scope">The scope, e.g. the client name.</param>
    /// <param name="cooldown">The key's cool-down.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask SetAsync(string scope, ApiKeyCooldown cooldown, CancellationToken cancellationToken);
}
