// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// How a <see cref="FallbackChatClient"/> orders its targets (the client itself, its <c>Models</c> and its <c>Clients</c>)
/// for each call: the first one available serves it, the others are its fallbacks in that order.
/// </summary>
public enum ChatRoutingStrategy
{
    /// <summary>The configured order: the client itself first, then its models, then its clients.</summary>
    Ordered = 0,

    /// <summary>A target drawn at random in proportion to its weight (<see cref="FallbackChatClientOptions.Weights"/>), then the rest drawn the same way.</summary>
    Weighted = 1,

    /// <summary>The target with the fewest calls in flight from this process first (ties in the configured order).</summary>
    LeastBusy = 2,

    /// <summary>The target with the lowest moving average of time to first token first; a target not measured yet is tried first.</summary>
    LowestLatency = 3,

    /// <summary>The target whose model's catalog price is lowest for the call's estimated tokens first; a target without a price comes last.</summary>
    LowestCost = 4,
}
