// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="RateLimitingChatClient"/> and of a <see cref="ChatRateLimiter"/>.</summary>
public sealed class RateLimitingChatClientOptions
{
    /// <summary>The configuration key of <see cref="RequestsPerMinute"/>.</summary>
    internal const string RequestsPerMinuteKey = "RequestsPerMinute";

    /// <summary>The configuration key of <see cref="TokensPerMinute"/>.</summary>
    internal const string TokensPerMinuteKey = "TokensPerMinute";

    /// <summary>The configuration key of <see cref="MaxConcurrency"/>.</summary>
    internal const string MaxConcurrencyKey = "MaxConcurrency";

    /// <summary>The configuration key of <see cref="QueueLimit"/>.</summary>
    internal const string QueueLimitKey = "QueueLimit";

    /// <summary>The configuration key of <see cref="SharedName"/>.</summary>
    internal const string SharedKey = "Shared";

    /// <summary>The default of <see cref="QueueLimit"/>.</summary>
    public const int DefaultQueueLimit = 128;

    /// <summary>Gets or sets the most requests started in any sliding minute.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public int? RequestsPerMinute { get; set; }

    /// <summary>
    /// Gets or sets the most tokens used in any minute. Each call reserves its estimated input tokens before it starts
    /// (<see cref="TokenEstimator"/>); the reservation is replaced by the real total from <c>UsageDetails</c> when it ends.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets or sets the most calls in progress at once (a stream counts until it ends).</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets how many calls may wait for each limiter; one more is rejected at once with <see cref="ChatProviderErrorKind.RateLimited"/>.</summary>
    /// <value>The default value is 128.</value>
    public int QueueLimit { get; set; } = DefaultQueueLimit;

    /// <summary>
    /// Gets or sets a limiter shared with other clients (for example every client on one API key). When set, the limits of
    /// these options are not used: the shared limiter's are.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the client has its own limiter.</value>
    public ChatRateLimiter? SharedLimiter { get; set; }

    /// <summary>Gets or sets the name under which the limiter is shared through a <see cref="ChatRateLimiterRegistry"/> (configuration key <c>Shared</c>).</summary>
    /// <value>The default value is <see langword="null"/>: not shared.</value>
    public string? SharedName { get; set; }

    /// <summary>
    /// Gets or sets a store that shares the limits with other processes (for example on Redis) under <see cref="SharedName"/>;
    /// the in-process limits are used while it fails.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the limits are kept in this process.</value>
    public IChatRateLimitStore? Store { get; set; }

    /// <summary>Gets or sets the estimator of input tokens for <see cref="TokensPerMinute"/>.</summary>
    /// <value>The default value is <see langword="null"/>: an <see cref="ITokenEstimator"/> from the services, else <see cref="ApproximateTokenEstimator.Instance"/>.</value>
    public ITokenEstimator? TokenEstimator { get; set; }

    /// <summary>Gets or sets the clock of the limiters.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets whether any limit is set.</summary>
    public bool HasLimits => RequestsPerMinute is not null || TokensPerMinute is not null || MaxConcurrency is not null || SharedLimiter is not null;

    /// <summary>Reads the options from a section: <c>RequestsPerMinute</c>, <c>TokensPerMinute</c>, <c>MaxConcurrency</c>, <c>QueueLimit</c>, <c>Shared</c>.</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:RateLimit</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid and <paramref name="errors"/> is null; the message names the key.</exception>
    internal void Read(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        RequestsPerMinute = ConfigurationReader.GetInt32(section, RequestsPerMinuteKey, errors: errors) ?? RequestsPerMinute;
        TokensPerMinute = ConfigurationReader.GetInt32(section, TokensPerMinuteKey, errors: errors) ?? TokensPerMinute;
        MaxConcurrency = ConfigurationReader.GetInt32(section, MaxConcurrencyKey, errors: errors) ?? MaxConcurrency;
        QueueLimit = ConfigurationReader.GetInt32(section, QueueLimitKey, minimum: 0, errors: errors) ?? QueueLimit;
        SharedName = string.IsNullOrWhiteSpace(section[SharedKey]) ? SharedName : section[SharedKey]!.Trim();
    }

    internal void Validate()
    {
        if (RequestsPerMinute is { } rpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rpm, 1, nameof(RequestsPerMinute));
        }

        if (TokensPerMinute is { } tpm)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tpm, 1, nameof(TokensPerMinute));
        }

        if (MaxConcurrency is { } concurrency)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1, nameof(MaxConcurrency));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(QueueLimit, nameof(QueueLimit));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
