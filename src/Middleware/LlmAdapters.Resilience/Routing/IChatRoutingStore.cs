// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// Where a <see cref="FallbackChatClient"/> shares the health of its targets with other processes (for example on Redis):
/// cool-downs (a target that keeps failing is skipped by every process), the moving average of each target's time to
/// first token (for <see cref="ChatRoutingStrategy.LowestLatency"/>), and which target served a conversation (for
/// <see cref="ChatRoutingAffinity.Conversation"/>). Targets are known by name within a scope (the client's name). Without
/// a store (the default) all of it is kept in the memory of the process; while the store fails it is too.
/// </summary>
/// <remarks>Implementations must be thread-safe, and report their own failures rather than throw them.</remarks>
public interface IChatRoutingStore
{
    /// <summary>Reads the shared state of a scope: its cool-downs that have not ended, its latencies, and a conversation's target.</summary>
    /// <param name="scope">The scope, e.g. the client name.</param>
    /// <param name="affinityKey">The conversation's key, or <see langword="null"/> when no target is asked for.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The snapshot.</returns>
    ValueTask<ChatRoutingSnapshot> GetAsync(string scope, string? affinityKey, CancellationToken cancellationToken);

    /// <summary>Takes a target out of the order for every process until a time (a later end wins over an earlier one).</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="target">The target's name.</param>
    /// <param name="until">When the cool-down ends.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask SetCooldownAsync(string scope, string target, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Adds a measured time to first token to a target's moving average: <c>average + smoothing × (sample − average)</c>, the sample alone for the first.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="target">The target's name.</param>
    /// <param name="timeToFirstToken">The measured time.</param>
    /// <param name="smoothing">The weight of the new sample, greater than 0 and at most 1.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask RecordLatencyAsync(string scope, string target, TimeSpan timeToFirstToken, double smoothing, CancellationToken cancellationToken);

    /// <summary>Notes the target that served a conversation, for a time.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="affinityKey">The conversation's key.</param>
    /// <param name="target">The target's name.</param>
    /// <param name="duration">How long the note is kept after this turn.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the store is updated.</returns>
    ValueTask SetAffinityAsync(string scope, string affinityKey, string target, TimeSpan duration, CancellationToken cancellationToken);
}
