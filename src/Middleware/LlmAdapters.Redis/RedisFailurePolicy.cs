// Licensed under the MIT License.

namespace LlmAdapters.Redis;

/// <summary>What a concern does while Redis cannot be reached (docs/scaling.md, "When Redis fails").</summary>
public enum RedisFailurePolicy
{
    /// <summary>Go on with this process's own state: the in-process limiter, budget store or ledger.</summary>
    FallBackToLocal,

    /// <summary>Go on as if the concern were off: a cache miss, no rate limit, no budget check.</summary>
    FailOpen,

    /// <summary>Refuse the call with a <see cref="ChatProviderException"/> of kind <see cref="ChatProviderErrorKind.Unavailable"/> that names Redis.</summary>
    FailClosed,
}
