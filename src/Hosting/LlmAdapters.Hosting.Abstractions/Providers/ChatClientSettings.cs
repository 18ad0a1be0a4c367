// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// The resolved settings of one configured chat client: the keys of <c>AI:Clients:{name}</c> over the shared keys of <c>AI</c>,
/// with the API key read from the provider's environment variable when not configured.
/// </summary>
/// <remarks>
/// Sensitive data: <see cref="ApiKey"/> and <see cref="ApiKeys"/> hold credentials; <see cref="ToString"/> leaves them out.
/// A record, so that another key is <c>settings with { ApiKey = key }</c>.
/// </remarks>
public sealed record ChatClientSettings
{
    /// <summary>Gets the client's name (<c>default</c> for the top-level client).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the provider name (<c>AI:Provider</c>), e.g. <c>openai</c> or <c>anthropic</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the default model id (<c>AI:Model</c>), used when a request names none.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the endpoint (<c>AI:Endpoint</c>), or the provider's default.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Gets the API key (<c>AI:ApiKey</c>, else the provider's environment variable), or <see langword="null"/>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Gets the API keys to rotate between (<c>AI:Pipeline:ApiKeys</c>); empty when only <see cref="ApiKey"/> is used.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Gets the system prompt (<c>AI:SystemPrompt</c>) given to requests that carry no instructions of their own.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Gets the default temperature (<c>AI:Temperature</c>).</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the default output token limit (<c>AI:MaxOutputTokens</c>).</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the network timeout of one HTTP exchange (<c>AI:NetworkTimeout</c>).</summary>
    /// <value>The default value is 10 minutes: the timeout middleware owns the shorter, per-attempt limits.</value>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Provider} {Model} at {Endpoint?.ToString() ?? "(default endpoint)"}";
}
