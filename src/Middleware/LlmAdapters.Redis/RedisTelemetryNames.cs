// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Redis;

/// <summary>The names of the package's <see cref="Meter"/>, instruments and tags (docs/scaling.md).</summary>
public static class RedisTelemetryNames
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "LlmAdapters.Redis";

    /// <summary>The counter of operations that Redis could not serve, each handled by its concern's failure policy (unit <c>{operation}</c>).</summary>
    public const string FallbackInstrument = "llmadapters.redis.fallbacks";

    /// <summary>The tag with the concern: <c>cache</c>, <c>ratelimit</c>, <c>budget</c>, <c>ledger</c> or <c>apikeys</c>.</summary>
    public const string ConcernTag = "llmadapters.redis.concern";

    /// <summary>The tag with the policy applied (<see cref="RedisFailurePolicy"/>).</summary>
    public const string PolicyTag = "llmadapters.redis.policy";
}
