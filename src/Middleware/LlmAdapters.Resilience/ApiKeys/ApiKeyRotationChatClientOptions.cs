// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Options of the <see cref="ApiKeyRotationChatClient"/>.</summary>
public sealed class ApiKeyRotationChatClientOptions
{
    /// <summary>The configuration key of <see cref="Strategy"/> (beside the list of keys).</summary>
    internal const string StrategyKey = "Strategy";

    /// <summary>The configuration key of <see cref="Cooldown"/>.</summary>
    internal const string CooldownKey = "Cooldown";

    /// <summary>The configuration key of <see cref="AuthenticationCooldown"/>.</summary>
    internal const string AuthenticationCooldownKey = "AuthenticationCooldown";

    /// <summary>Gets or sets how the key of a call is chosen.</summary>
    /// <value>The default value is <see cref="ApiKeySelectionStrategy.RoundRobin"/>.</value>
    public ApiKeySelectionStrategy Strategy { get; set; } = ApiKeySelectionStrategy.RoundRobin;

    /// <summary>Gets or sets the error kinds that put a key on cool-down; the call then moves on to another key at once.</summary>
    /// <value>The default value is <see cref="ChatProviderErrorKind.Authentication"/> and <see cref="ChatProviderErrorKind.RateLimited"/>.</value>
    public ISet<ChatProviderErrorKind> CooldownOn { get; set; } = new HashSet<ChatProviderErrorKind>
    {
        ChatProviderErrorKind.Authentication,
        ChatProviderErrorKind.RateLimited,
    };

    /// <summary>Gets or sets the cool-down of a key after a failure that does not say how long to wait (a Retry-After is used when given).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the cool-down of a key that failed <see cref="ChatProviderErrorKind.Authentication"/> or <see cref="ChatProviderErrorKind.PermissionDenied"/>.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan AuthenticationCooldown { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets a store that shares the keys' cool-downs with other processes (for example on Redis) under <see cref="CooldownScope"/>.</summary>
    /// <value>The default value is <see langword="null"/>: cool-downs are kept in this process.</value>
    public IApiKeyCooldownStore? CooldownStore { get; set; }

    /// <summary>Gets or sets the name under which the cool-downs are shared (e.g. the client name): every process that uses the same keys in the same order must use the same scope.</summary>
    /// <value>The default value is <see langword="null"/>; required with <see cref="CooldownStore"/>.</value>
    public string? CooldownScope { get; set; }

    /// <summary>Gets or sets the clock of the cool-downs.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads the options from a section: <c>Strategy</c>, <c>Cooldown</c>, <c>AuthenticationCooldown</c> (the keys themselves are its numbered children).</summary>
    /// <param name="section">The section, e.g. <c>AI:Pipeline:ApiKeys</c>.</param>
    /// <param name="errors">Collects each problem as a message naming its key, or <see langword="null"/> to throw at the first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid and <paramref name="errors"/> is null; the message names the key.</exception>
    internal void Read(IConfiguration section, List<string>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        Strategy = ConfigurationReader.GetEnum<ApiKeySelectionStrategy>(section, StrategyKey, errors: errors) ?? Strategy;
        Cooldown = ConfigurationReader.GetDuration(section, CooldownKey, errors: errors) ?? Cooldown;
        AuthenticationCooldown = ConfigurationReader.GetDuration(section, AuthenticationCooldownKey, errors: errors) ?? AuthenticationCooldown;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(CooldownOn);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Cooldown, TimeSpan.Zero, nameof(Cooldown));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AuthenticationCooldown, TimeSpan.Zero, nameof(AuthenticationCooldown));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (CooldownStore is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(CooldownScope, nameof(CooldownScope));
        }
    }
}
