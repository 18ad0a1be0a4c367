// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>
/// The names the resilience middleware reports under: its <see cref="System.Diagnostics.Metrics.Meter"/>, its instruments
/// and their tags, and the tags it sets on the current activity (the call's <c>gen_ai</c> span). docs/middleware.md lists them.
/// </summary>
/// <remarks>The package starts no activity of its own: it has a meter and no activity source.</remarks>
public static class ResilienceTelemetryNames
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "LlmAdapters.Resilience";

    /// <summary>The counter of attempts after a failed first attempt, by error kind (unit <c>{attempt}</c>).</summary>
    public const string RetryAttemptsInstrument = "llmadapters.retry.attempts";

    /// <summary>The counter of calls the retry middleware stopped retrying, by error kind (unit <c>{request}</c>).</summary>
    public const string RetryGiveUpsInstrument = "llmadapters.retry.give_ups";

    /// <summary>The counter of expired timeouts, by scope (unit <c>{timeout}</c>).</summary>
    public const string TimeoutsExpiredInstrument = "llmadapters.timeout.expired";

    /// <summary>The histogram of the time a call waited for the limiters (unit <c>s</c>).</summary>
    public const string RateLimitWaitInstrument = "llmadapters.ratelimit.wait";

    /// <summary>The counter of calls a local limiter rejected, by limiter (unit <c>{request}</c>).</summary>
    public const string RateLimitRejectionsInstrument = "llmadapters.ratelimit.rejections";

    /// <summary>The counter of switches to another client, by client and error kind (unit <c>{switch}</c>).</summary>
    public const string FallbackSwitchesInstrument = "llmadapters.fallback.switches";

    /// <summary>The counter of circuits opened (unit <c>{circuit}</c>).</summary>
    public const string CircuitOpenedInstrument = "llmadapters.fallback.circuit_opened";

    /// <summary>The counter of API keys put on cool-down, by key index and error kind (unit <c>{cooldown}</c>).</summary>
    public const string ApiKeyCooldownsInstrument = "llmadapters.apikeys.cooldowns";

    /// <summary>Tag: the kind of the error (<see cref="ChatProviderErrorKind"/>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Activity tag: how many attempts the retry middleware made.</summary>
    public const string RetryAttemptsTag = "llmadapters.retry.attempts";

    /// <summary>Tag, activity tag and response property: the name of the client that served the response.</summary>
    public const string FallbackClientTag = "llmadapters.fallback.client";

    /// <summary>
    /// Activity tag: how the fallback middleware ordered the call's targets (a <see cref="ChatRoutingStrategy"/> name, or
    /// <c>Override</c> when the call named its own fallbacks); the target that served it is <see cref="FallbackClientTag"/>.
    /// </summary>
    public const string RoutingStrategyTag = "llmadapters.routing.strategy";

    /// <summary>Activity tag: the time the call waited for the rate limiter, in seconds (the unit of <see cref="RateLimitWaitInstrument"/>).</summary>
    public const string RateLimitWaitTag = "llmadapters.ratelimit.wait";

    /// <summary>Tag: the limiter that rejected a call (<c>requests</c>, <c>tokens</c>, <c>concurrency</c>).</summary>
    public const string RateLimitLimiterTag = "llmadapters.ratelimit.limiter";

    /// <summary>Tag and activity tag: the index (never the value) of the API key that served the call.</summary>
    public const string ApiKeyIndexTag = "llmadapters.apikeys.index";

    /// <summary>Tag and activity tag: the scope of the timeout that expired (<c>attempt</c>, <c>total</c>, <c>first_update</c>).</summary>
    public const string TimeoutScopeTag = "llmadapters.timeout.scope";
}
