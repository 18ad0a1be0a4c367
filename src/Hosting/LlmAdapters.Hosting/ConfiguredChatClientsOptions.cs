// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>Options of <see cref="ConfiguredChatClients"/>.</summary>
/// <remarks>
/// Configure them with <c>services.Configure&lt;ConfiguredChatClientsOptions&gt;(…)</c>, or through
/// <c>services.ConfigureChatClientSettings(…)</c>.
/// </remarks>
public sealed class ConfiguredChatClientsOptions
{
    /// <summary>The name of the client of the top-level <c>AI</c> keys, and of the unkeyed <c>IChatClient</c>: <c>default</c>.</summary>
    public const string DefaultClientName = "default";

    private readonly List<(string? Client, Func<ChatClientSettings, ChatClientSettings> Configure)> _settingsConfigurations = [];

    /// <summary>Gets or sets how an environment variable is read (for the API key fallback such as <c>OPENAI_API_KEY</c>).</summary>
    /// <value>The default value is <see cref="Environment.GetEnvironmentVariable(string)"/>.</value>
    public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// Adds a change to a client's settings, applied after they are read from configuration and before they are checked
    /// and used: a key from a vault, an endpoint from service discovery, a model chosen in code. Changes apply in the
    /// order they were added.
    /// </summary>
    /// <param name="clientName">The client whose settings change (case-insensitive), or <see langword="null"/> for every client.</param>
    /// <param name="configure">Returns the settings to use, e.g. <c>s =&gt; s with { ApiKey = vault.Get("openai") }</c>. It may not change <see cref="ChatClientSettings.Name"/> or <see cref="ChatClientSettings.Provider"/>.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public ConfiguredChatClientsOptions ConfigureSettings(string? clientName, Func<ChatClientSettings, ChatClientSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _settingsConfigurations.Add((clientName, configure));
        return this;
    }

    /// <summary>Applies the changes added for <paramref name="settings"/>' client, in order.</summary>
    internal ChatClientSettings ApplySettingsConfigurations(ChatClientSettings settings, out int applied)
    {
        applied = 0;
        foreach (var (client, configure) in _settingsConfigurations)
        {
            if (client is null || string.Equals(client, settings.Name, StringComparison.OrdinalIgnoreCase))
            {
                settings = configure(settings) ?? throw new InvalidOperationException(
                    $"A ConfigureSettings delegate for the client '{settings.Name}' returned null: return the settings to use (e.g. s => s with {{ … }}).");
                applied++;
            }
        }

        return settings;
    }
}
