// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Ollama;

/// <summary>
/// The <c>ollama</c> provider: Ollama's native chat API through <see cref="OllamaChatClient"/>. No key is needed; one that is
/// configured (or in <c>OLLAMA_API_KEY</c>) is sent as a Bearer token, for proxies and Ollama's hosted API. Provider-specific
/// keys: <c>KeepAlive</c> (<c>keep_alive</c>, e.g. <c>10m</c>) and <c>ContextLength</c> (<c>options.num_ctx</c>).
/// The OpenAI-compatible <c>/v1</c> API, which this name meant before, is the provider <c>ollama-openai</c>.
/// The hosting package lists it among the built-in providers; register it yourself with
/// <c>services.AddChatProvider(new OllamaChatProviderFactory())</c>.
/// </summary>
public sealed class OllamaChatProviderFactory : IChatProviderFactory
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "ollama";

    /// <summary>The configuration key of <c>keep_alive</c>.</summary>
    internal const string KeepAliveKey = "KeepAlive";

    /// <summary>The configuration key of <c>num_ctx</c>.</summary>
    internal const string ContextLengthKey = "ContextLength";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => "OLLAMA_API_KEY";

    /// <inheritdoc/>
    public bool RequiresApiKey => false;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => OllamaChatClientOptions.DefaultEndpoint;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [KeepAliveKey, ContextLengthKey, ResponseSizeLimit.ConfigurationKey];

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) =>
        ResponseSizeLimit.Validate(configuration?[ResponseSizeLimit.ConfigurationKey], pathOf(ResponseSizeLimit.ConfigurationKey));

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var options = new OllamaChatClientOptions
        {
            Endpoint = settings.Endpoint,
            ApiKey = settings.ApiKey,
            Model = settings.Model,
            NetworkTimeout = settings.NetworkTimeout,
            MaxResponseBytes = ResponseSizeLimit.Read(context.Configuration[ResponseSizeLimit.ConfigurationKey]) ?? NativeTransportOptions.DefaultMaxResponseBytes,
            TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
        };

        if (context.Configuration[KeepAliveKey] is { Length: > 0 } keepAlive)
        {
            options.KeepAlive = keepAlive.Trim();
        }

        if (int.TryParse(context.Configuration[ContextLengthKey], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var contextLength) && contextLength > 0)
        {
            options.ContextLength = contextLength;
        }

        return new OllamaChatClient(options, context.HttpClient);
    }
}
