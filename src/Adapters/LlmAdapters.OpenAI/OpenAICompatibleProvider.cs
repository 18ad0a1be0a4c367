// Licensed under the MIT License.

namespace LlmAdapters.OpenAI;

/// <summary>
/// A preset of one server that speaks OpenAI's Chat Completions API: its provider name, default endpoint and how its
/// API key is found. Listed by <see cref="OpenAICompatibleProviders"/>.
/// </summary>
public sealed class OpenAICompatibleProvider
{
    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleProvider"/> class.</summary>
    /// <param name="name">The provider name, e.g. <c>openai</c> or <c>vllm</c>.</param>
    /// <param name="defaultEndpoint">The base URL used when none is configured, or <see langword="null"/> when one must be configured.</param>
    /// <param name="apiKeyEnvironmentVariable">The environment variable that conventionally holds the API key, or <see langword="null"/>.</param>
    /// <param name="requiresApiKey">Whether a call cannot succeed without an API key.</param>
    /// <param name="defaultModel">The model used when none is configured, or <see langword="null"/> when one must be (local servers serve whatever was loaded).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space.</exception>
    public OpenAICompatibleProvider(string name, Uri? defaultEndpoint, string? apiKeyEnvironmentVariable, bool requiresApiKey, string? defaultModel = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        DefaultEndpoint = defaultEndpoint;
        ApiKeyEnvironmentVariable = apiKeyEnvironmentVariable;
        RequiresApiKey = requiresApiKey;
        DefaultModel = defaultModel;
    }

    /// <summary>Gets the provider name reported in <see cref="Microsoft.Extensions.AI.ChatClientMetadata.ProviderName"/> and in errors.</summary>
    public string Name { get; }

    /// <summary>Gets the base URL (up to and including the version segment) used when none is configured.</summary>
    /// <value><see langword="null"/> when the server has no well-known address (a self-hosted vLLM) and one must be configured.</value>
    public Uri? DefaultEndpoint { get; }

    /// <summary>Gets the environment variable that conventionally holds the API key, or <see langword="null"/> for servers that take none.</summary>
    public string? ApiKeyEnvironmentVariable { get; }

    /// <summary>Gets a value indicating whether a call cannot succeed without an API key (<see langword="false"/> for local servers).</summary>
    public bool RequiresApiKey { get; }

    /// <summary>Gets the model used when none is configured, so that switching provider is a change of <c>AI:Provider</c> alone.</summary>
    /// <value><see langword="null"/> for local servers (vLLM, Ollama, LM Studio), which serve whatever was loaded: the model must be configured.</value>
    public string? DefaultModel { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({DefaultEndpoint?.ToString() ?? "endpoint must be configured"})";
}
