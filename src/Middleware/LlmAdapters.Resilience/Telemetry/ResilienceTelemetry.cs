// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Resilience;

/// <summary>The package's one <see cref="Meter"/> and its instruments, named by <see cref="ResilienceTelemetryNames"/>.</summary>
internal static class ResilienceTelemetry
{
    /// <summary>The name of the meter.</summary>
    public const string Name = ResilienceTelemetryNames.MeterName;

    /// <inheritdoc cref="ResilienceTelemetryNames.ErrorTypeTag"/>
    public const string ErrorTypeTag = ResilienceTelemetryNames.ErrorTypeTag;

    /// <inheritdoc cref="ResilienceTelemetryNames.RetryAttemptsTag"/>
    public const string RetryAttemptsTag = ResilienceTelemetryNames.RetryAttemptsTag;

    /// <inheritdoc cref="ResilienceTelemetryNames.FallbackClientTag"/>
    public const string FallbackClientTag = ResilienceTelemetryNames.FallbackClientTag;

    /// <inheritdoc cref="ResilienceTelemetryNames.RateLimitWaitTag"/>
    public const string RateLimitWaitTag = ResilienceTelemetryNames.RateLimitWaitTag;

    /// <inheritdoc cref="ResilienceTelemetryNames.ApiKeyIndexTag"/>
    public const string ApiKeyIndexTag = ResilienceTelemetryNames.ApiKeyIndexTag;

    /// <inheritdoc cref="ResilienceTelemetryNames.TimeoutScopeTag"/>
    public const string TimeoutTag = ResilienceTelemetryNames.TimeoutScopeTag;

    private static readonly string? s_version = typeof(ResilienceTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Gets the package's meter.</summary>
    public static Meter Meter { get; } = new(new MeterOptions(Name) { Version = s_version });

    /// <summary>Gets the counter of retries (attempts after the first).</summary>
    public static Counter<long> RetryAttempts { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.RetryAttemptsInstrument, "{attempt}", "Attempts made after a failed first attempt, by error kind.");

    /// <summary>Gets the counter of calls the retry middleware gave up on.</summary>
    public static Counter<long> RetryGiveUps { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.RetryGiveUpsInstrument, "{request}", "Calls that failed with a transient error the retry middleware stopped retrying (attempts spent, or a Retry-After too long), by error kind.");

    /// <summary>Gets the counter of expired timeouts.</summary>
    public static Counter<long> TimeoutsExpired { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.TimeoutsExpiredInstrument, "{timeout}", "Timeouts that expired, by scope (attempt, total, first_update).");

    /// <summary>Gets the histogram of rate limiter waits.</summary>
    public static Histogram<double> RateLimitWait { get; } =
        Meter.CreateHistogram<double>(ResilienceTelemetryNames.RateLimitWaitInstrument, "s", "Time a call waited for the rate, token and concurrency limiters.");

    /// <summary>Gets the counter of calls rejected by a local limiter.</summary>
    public static Counter<long> RateLimitRejections { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.RateLimitRejectionsInstrument, "{request}", "Calls rejected by a local limiter, by limiter (requests, tokens, concurrency).");

    /// <summary>Gets the counter of switches to another client.</summary>
    public static Counter<long> FallbackSwitches { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.FallbackSwitchesInstrument, "{switch}", "Times the fallback middleware moved on from a failed client, by client and error kind.");

    /// <summary>Gets the counter of circuits opened.</summary>
    public static Counter<long> CircuitOpened { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.CircuitOpenedInstrument, "{circuit}", "Times a failing client was taken out of the fallback order for its break duration.");

    /// <summary>Gets the counter of API keys put on cool-down.</summary>
    public static Counter<long> ApiKeyCooldowns { get; } =
        Meter.CreateCounter<long>(ResilienceTelemetryNames.ApiKeyCooldownsInstrument, "{cooldown}", "Times an API key was put on cool-down, by key index and error kind.");
}
