// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="TimeoutChatClient"/>.</summary>
public sealed class TimeoutChatClientOptions
{
    /// <summary>The configuration key of the per-attempt timeout.</summary>
    internal const string AttemptKey = "Attempt";

    /// <summary>The configuration key of the total timeout.</summary>
    internal const string TotalKey = "Total";

    /// <summary>The configuration key of the time-to-first-update timeout.</summary>
    internal const string FirstUpdateKey = "FirstUpdate";

    /// <summary>Gets or sets the longest time a call may take: a whole response, or a whole stream.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets the longest time a stream may take to produce its first update.</summary>
    /// <value>The default value is <see langword="null"/>: no limit.</value>
    public TimeSpan? FirstUpdateTimeout { get; set; }

    /// <summary>
    /// Gets or sets what the timeout limits, which names it in messages and telemetry (<c>attempt</c> or <c>total</c>) and
    /// which per-call overrides it reads (<see cref="ChatOptionsTimeoutExtensions"/>).
    /// </summary>
    /// <value>The default value is <see cref="TimeoutScope.Attempt"/>.</value>
    public TimeoutScope Scope { get; set; } = TimeoutScope.Attempt;

    /// <summary>Gets or sets the clock the timeouts run on.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads the per-attempt options from a section: <c>Attempt</c> and <c>FirstUpdate</c>.</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Timeout</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is not a positive duration; the message names the key.</exception>
    internal void ReadAttempt(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        Scope = TimeoutScope.Attempt;
        Timeout = ConfigurationReader.GetDuration(section, AttemptKey, errors: errors) ?? Timeout;
        FirstUpdateTimeout = ConfigurationReader.GetDuration(section, FirstUpdateKey, errors: errors) ?? FirstUpdateTimeout;
    }

    /// <summary>Reads the total timeout from a section: <c>Total</c>.</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Timeout</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The value is not a positive duration; the message names the key.</exception>
    internal void ReadTotal(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        Scope = TimeoutScope.Total;
        Timeout = ConfigurationReader.GetDuration(section, TotalKey, errors: errors) ?? Timeout;
    }

    internal void Validate()
    {
        if (Timeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(Timeout));
        }

        if (FirstUpdateTimeout is { } first)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero, nameof(FirstUpdateTimeout));
        }

        if (!Enum.IsDefined(Scope))
        {
            throw new ArgumentOutOfRangeException(nameof(Scope), Scope, "The scope is not a TimeoutScope value.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
