// Licensed under the MIT License.

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmAdapters.Resilience;

/// <summary>
/// The package's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, with every instrument and tag name.
/// docs/middleware.md lists them.
/// </summary>
internal static class ResilienceTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "LlmAdapters.Resilience";

    /// <summary>Tag: the kind of the error (<see cref="ChatProviderErrorKind"/>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Activity tag: how many attempts the retry middleware made.</summary>
    public const string RetryAttemptsTag = "llmadapters.retry.attempts";

    /// <summary>Activity tag and response property: the name of the client that served the response.</summary>
    public const string FallbackClientTag = "llmadapters.fallback.client";

    /// <summary>Activity tag: the time spent waiting for the rate limiter, in milliseconds.</summary>
    public const string RateLimitWaitTag = "llmadapters.ratelimit.wait_ms";

    /// <summary>Activity tag: the index (never the value) of the API key that served the call.</summary>
    public const string ApiKeyIndexTag = "llmadapters.apikeys.index";

    /// <summary>Activity tag: which timeout expired (<c>attempt</c>, <c>total</c>, <c>first_update</c>).</summary>
    public const string TimeoutTag = "llmadapters.timeout.expired";

    private static readonly string? s_version = typeof(ResilienceTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Gets the package's activity source.</summary>
    public static ActivitySource ActivitySource { get; } = new(new ActivitySourceOptions(Name) { Version = s_version });

    /// <summary>Gets the package's meter.</summary>
    public static Meter Meter { get; } = new(new MeterOptions(Name) { Version = s_version });

    /// <summary>Gets the counter of retries (attempts after the first).</summary>
    public static Counter<long> RetryAttempts { get; } =
        Meter.CreateCounter<long>("llmadapters.retry.attempts", "{attempt}", "Attempts made after a failed first attempt, by error kind.");

    /// <summary>Gets the counter of calls the retry middleware gave up on.</summary>
    public static Counter<long> RetryGiveUps { get; } =
        Meter.CreateCounter<long>("llmadapters.retry.give_ups", "{call}", "Calls that failed with a transient error the retry middleware stopped retrying (attempts spent, or a Retry-After too long), by error kind.");

    /// <summary>Gets the counter of expired timeouts.</summary>
    public static Counter<long> TimeoutsExpired { get; } =
        Meter.CreateCounter<long>("llmadapters.timeout.expired", "{timeout}", "Timeouts that expired, by scope (attempt, total, first_update).");

    /// <summary>Gets the histogram of rate limiter waits.</summary>
    public static Histogram<double> RateLimitWait { get; } =
        Meter.CreateHistogram<double>("llmadapters.ratelimit.wait", "s", "Time a call waited for the rate, token and concurrency limiters.");

    /// <summary>Gets the counter of calls rejected by a local limiter.</summary>
    public static Counter<long> RateLimitRejections { get; } =
        Meter.CreateCounter<long>("llmadapters.ratelimit.rejections", "{call}", "Calls rejected by a local limiter, by limiter (requests, tokens, concurrency).");

    /// <summary>Gets the counter of switches to another client.</summary>
    public static Counter<long> FallbackSwitches { get; } =
        Meter.CreateCounter<long>("llmadapters.fallback.switches", "{switch}", "Times the fallback middleware moved on from a failed client, by client and error kind.");

    /// <summary>Gets the counter of circuits opened.</summary>
    public static Counter<long> CircuitOpened { get; } =
        Meter.CreateCounter<long>("llmadapters.fallback.circuit_opened", "{circuit}", "Times a failing client was taken out of the fallback order for its break duration.");

    /// <summary>Gets the counter of API keys put on cool-down.</summary>
    public static Counter<long> ApiKeyCooldowns { get; } =
        Meter.CreateCounter<long>("llmadapters.apikeys.cooldowns", "{cooldown}", "Times an API key was put on cool-down, by key index and error kind.");
}
