// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="RetryChatClient"/>.</summary>
public sealed class RetryChatClientOptions
{
    /// <summary>Gets or sets the largest number of attempts, the first included.</summary>
    /// <value>The default value is 3. A value of 1 turns retrying off.</value>
    public int MaxAttempts { get; set; } = RetryConstants.DefaultMaxAttempts;

    /// <summary>Gets or sets the delay before the first retry; it doubles on each retry.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = RetryConstants.DefaultBaseDelay;

    /// <summary>
    /// Gets or sets the longest wait between two attempts. The exponential backoff is capped at it, and when a server asks
    /// (with <see cref="ChatProviderException.RetryAfter"/>) for a longer wait than this, the call fails at once with the server's exception.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = RetryConstants.DefaultMaxDelay;

    /// <summary>Gets or sets a value indicating whether the backoff delays are randomised (decorrelated jitter).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Gets or sets a predicate that replaces the default choice of which failures to retry. The default retries transient
    /// failures only: <see cref="ChatProviderErrorKind.RateLimited"/>, <see cref="ChatProviderErrorKind.Overloaded"/>,
    /// <see cref="ChatProviderErrorKind.Timeout"/>, <see cref="ChatProviderErrorKind.Unavailable"/> (when
    /// <see cref="ChatProviderException.IsTransient"/>) and network errors (<see cref="HttpRequestException"/>, <see cref="IOException"/>).
    /// A Retry-After longer than <see cref="MaxDelay"/> is never retried, whatever the predicate says.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<Exception, bool>? ShouldRetry { get; set; }

    /// <summary>Gets or sets the clock that every wait goes through.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads the options from a configuration section (<c>MaxAttempts</c>, <c>BaseDelay</c>, <c>MaxDelay</c>, <c>UseJitter</c>).</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Retry</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid and <paramref name="errors"/> is null; the message names the key.</exception>
    internal void Read(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        MaxAttempts = ConfigurationReader.GetInt32(section, RetryConstants.MaxAttemptsKey, errors: errors) ?? MaxAttempts;
        BaseDelay = ConfigurationReader.GetDuration(section, RetryConstants.BaseDelayKey, errors: errors) ?? BaseDelay;
        MaxDelay = ConfigurationReader.GetDuration(section, RetryConstants.MaxDelayKey, errors: errors) ?? MaxDelay;
        UseJitter = ConfigurationReader.GetBoolean(section, RetryConstants.UseJitterKey, errors: errors) ?? UseJitter;
        if (BaseDelay > MaxDelay)
        {
            ConfigurationReader.Report(
                $"Configuration key '{ConfigurationReader.PathOf(section, RetryConstants.BaseDelayKey)}' ({BaseDelay}) must not exceed '{ConfigurationReader.PathOf(section, RetryConstants.MaxDelayKey)}' ({MaxDelay}).", errors);
        }
    }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
