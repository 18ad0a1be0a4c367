// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="FallbackChatClient"/>.</summary>
public sealed class FallbackChatClientOptions
{
    /// <summary>The configuration key of the ordered list of named clients to fall back to.</summary>
    internal const string ClientsKey = "Clients";

    /// <summary>The configuration key of the ordered list of models of the same provider to fall back to.</summary>
    internal const string ModelsKey = "Models";

    /// <summary>The configuration key of <see cref="FailOverOn"/>.</summary>
    internal const string OnKey = "On";

    /// <summary>The configuration key of <see cref="FailureThreshold"/>.</summary>
    internal const string FailureThresholdKey = "FailureThreshold";

    /// <summary>The configuration key of <see cref="SamplingWindow"/>.</summary>
    internal const string SamplingWindowKey = "SamplingWindow";

    /// <summary>The configuration key of <see cref="BreakDuration"/>.</summary>
    internal const string BreakDurationKey = "BreakDuration";

    /// <summary>Gets or sets the error kinds that move on to the next client. Network errors count as <see cref="ChatProviderErrorKind.Unavailable"/>.</summary>
    /// <value>The default value is <see cref="ChatProviderErrorKind.RateLimited"/>, <see cref="ChatProviderErrorKind.Overloaded"/>,
    /// <see cref="ChatProviderErrorKind.Timeout"/>, <see cref="ChatProviderErrorKind.Unavailable"/> and <see cref="ChatProviderErrorKind.ModelNotFound"/>;
    /// never <see cref="ChatProviderErrorKind.InvalidRequest"/> or <see cref="ChatProviderErrorKind.ContentFiltered"/> unless added here.</value>
    public ISet<ChatProviderErrorKind> FailOverOn { get; set; } = new HashSet<ChatProviderErrorKind>
    {
        ChatProviderErrorKind.RateLimited,
        ChatProviderErrorKind.Overloaded,
        ChatProviderErrorKind.Timeout,
        ChatProviderErrorKind.Unavailable,
        ChatProviderErrorKind.ModelNotFound,
    };

    /// <summary>Gets or sets the name of the primary client, reported when it serves a response.</summary>
    /// <value>The default value is <c>primary</c>; a configured pipeline sets the client's name.</value>
    public string PrimaryName { get; set; } = "primary";

    /// <summary>Gets or sets how many fail-over failures within <see cref="SamplingWindow"/> take a client out of the order.</summary>
    /// <value>The default value is 5.</value>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>Gets or sets the window in which failures are counted.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a client stays out of the order; after it, one failure takes it out again.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the clock of the circuit breakers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the other models to fall back to, in order, as a configured pipeline read them (<c>Models</c>).</summary>
    internal IReadOnlyList<string> Models { get; set; } = [];

    /// <summary>Gets or sets the named clients to fall back to, in order, as a configured pipeline read them (<c>Clients</c>).</summary>
    internal IReadOnlyList<string> Clients { get; set; } = [];

    /// <summary>Reads the options from a section: <c>On</c>, <c>FailureThreshold</c>, <c>SamplingWindow</c>, <c>BreakDuration</c>.</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:Fallback</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid and <paramref name="errors"/> is null; the message names the key.</exception>
    internal void Read(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        FailOverOn = ConfigurationReader.GetKinds(section, OnKey, errors: errors) ?? FailOverOn;
        FailureThreshold = ConfigurationReader.GetInt32(section, FailureThresholdKey, errors: errors) ?? FailureThreshold;
        SamplingWindow = ConfigurationReader.GetDuration(section, SamplingWindowKey, errors: errors) ?? SamplingWindow;
        BreakDuration = ConfigurationReader.GetDuration(section, BreakDurationKey, errors: errors) ?? BreakDuration;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(FailOverOn);
        ArgumentException.ThrowIfNullOrWhiteSpace(PrimaryName);
        ArgumentOutOfRangeException.ThrowIfLessThan(FailureThreshold, 1, nameof(FailureThreshold));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SamplingWindow, TimeSpan.Zero, nameof(SamplingWindow));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BreakDuration, TimeSpan.Zero, nameof(BreakDuration));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
