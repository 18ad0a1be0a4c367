// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>How an <see cref="ApiKeyRotationChatClient"/> chooses the key for a call among those not cooling down.</summary>
public enum ApiKeySelectionStrategy
{
    /// <summary>Each call takes the next key in turn.</summary>
    RoundRobin = 0,

    /// <summary>Each call takes the key with the fewest calls in progress (ties in turn).</summary>
    LeastInFlight,
}
