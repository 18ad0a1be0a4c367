// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Redis;

/// <summary>Options of the pipeline's shared state on Redis (configuration section <c>AI:Redis</c>).</summary>
public sealed class RedisStateOptions
{
    /// <summary>The configuration key of <see cref="Configuration"/>.</summary>
    internal const string ConfigurationKey = "Configuration";

    /// <summary>The configuration key of <see cref="KeyPrefix"/>.</summary>
    internal const string KeyPrefixKey = "KeyPrefix";

    /// <summary>The configuration key of <see cref="ReservationTimeout"/>.</summary>
    internal const string ReservationTimeoutKey = "ReservationTimeout";

    /// <summary>The configuration key of <see cref="LeaseTimeout"/>.</summary>
    internal const string LeaseTimeoutKey = "LeaseTimeout";

    /// <summary>The configuration key of <see cref="RateLimitWindow"/>.</summary>
    internal const string RateLimitWindowKey = "RateLimitWindow";

    /// <summary>The configuration section of the failure policies: <c>Failure:Cache</c>, <c>Failure:RateLimit</c>, <c>Failure:Budget</c>.</summary>
    internal const string FailureKey = "Failure";

    /// <summary>The default of <see cref="KeyPrefix"/>.</summary>
    public const string DefaultKeyPrefix = "llmadapters:";

    /// <summary>Gets or sets the StackExchange.Redis connection string, e.g. <c>localhost:6379</c>.</summary>
    /// <value>The default value is <see langword="null"/>: no Redis, everything stays in process.</value>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets the prefix of every key written to Redis, so that several applications can share one server.</summary>
    /// <value>The default value is <c>llmadapters:</c>.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>Gets or sets how long a budget reservation lives when it is neither settled nor released (a process that died mid-call).</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long a concurrency slot outlives the last sign of life of the process that holds it (live processes renew theirs).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the window of the shared requests and tokens per minute (shorter only in tests).</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets what the response cache does while Redis fails.</summary>
    /// <value>The default value is <see cref="RedisFailurePolicy.FailOpen"/>: the provider is called.</value>
    public RedisFailurePolicy CacheFailure { get; set; } = RedisFailurePolicy.FailOpen;

    /// <summary>Gets or sets what the shared rate limits do while Redis fails.</summary>
    /// <value>The default value is <see cref="RedisFailurePolicy.FallBackToLocal"/>: each process applies the limits alone.</value>
    public RedisFailurePolicy RateLimitFailure { get; set; } = RedisFailurePolicy.FallBackToLocal;

    /// <summary>Gets or sets what the budgets do while Redis fails.</summary>
    /// <value>The default value is <see cref="RedisFailurePolicy.FailClosed"/>: calls are refused, since spending could not be bounded.</value>
    public RedisFailurePolicy BudgetFailure { get; set; } = RedisFailurePolicy.FailClosed;

    /// <summary>Gets or sets the clock used for calendar periods (the windows and expiries run on the Redis server's clock).</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads the options from a section (<c>AI:Redis</c>).</summary>
    /// <param name="section">The section.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    /// <summary>
    /// Throws when the section holds a key these options do not read: <c>AI:Redis:Configuraton</c> would otherwise leave
    /// Redis unconfigured and turn every shared budget and limit into a per-process one, silently (issue 20, N7).
    /// </summary>
    /// <exception cref="InvalidOperationException">A key is unknown; the message names its path and the known keys.</exception>
    internal static void ThrowOnUnknownKeys(IConfiguration section)
    {
        string[] known = [ConfigurationKey, KeyPrefixKey, ReservationTimeoutKey, LeaseTimeoutKey, RateLimitWindowKey, FailureKey];
        string[] failureKeys = ["Cache", "RateLimit", "Budget"];
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{child.Path} is not a key of the Redis section; the keys are {string.Join(", ", known)}.");
            }
            else if (string.Equals(child.Key, FailureKey, StringComparison.OrdinalIgnoreCase))
            {
                problems.AddRange(child.GetChildren()
                    .Where(f => !failureKeys.Contains(f.Key, StringComparer.OrdinalIgnoreCase))
                    .Select(f => $"{f.Path} is not a key of the Redis failure policies; the keys are {string.Join(", ", failureKeys)}."));
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
    }

    internal void Bind(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        Configuration = string.IsNullOrWhiteSpace(section[ConfigurationKey]) ? Configuration : section[ConfigurationKey]!.Trim();
        KeyPrefix = section[KeyPrefixKey] is { } prefix ? prefix.Trim() : KeyPrefix;
        ReservationTimeout = ConfigurationReader.GetDuration(section, ReservationTimeoutKey) ?? ReservationTimeout;
        LeaseTimeout = ConfigurationReader.GetDuration(section, LeaseTimeoutKey) ?? LeaseTimeout;
        RateLimitWindow = ConfigurationReader.GetDuration(section, RateLimitWindowKey) ?? RateLimitWindow;
        var failure = section.GetSection(FailureKey);
        CacheFailure = ConfigurationReader.GetEnum<RedisFailurePolicy>(failure, "Cache") ?? CacheFailure;
        RateLimitFailure = ConfigurationReader.GetEnum<RedisFailurePolicy>(failure, "RateLimit") ?? RateLimitFailure;
        BudgetFailure = ConfigurationReader.GetEnum<RedisFailurePolicy>(failure, "Budget") ?? BudgetFailure;
    }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(KeyPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReservationTimeout, TimeSpan.Zero, nameof(ReservationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseTimeout, TimeSpan.Zero, nameof(LeaseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RateLimitWindow, TimeSpan.Zero, nameof(RateLimitWindow));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
