// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama;

/// <summary>
/// The <c>ollama</c> provider: Ollama's native chat API through <see cref="OllamaChatClient"/>. No key is needed; one that is
/// configured (or in <c>OLLAMA_API_KEY</c>) is sent as a Bearer token, for proxies and Ollama's hosted API. Provider-specific
/// keys: <c>KeepAlive</c> (<c>keep_alive</c>, e.g. <c>10m</c>) and <c>ContextLength</c> (<c>options.num_ctx</c>).
/// The OpenAI-compatible <c>/v1</c> API, which this name meant before, is the provider <c>ollama-openai</c>.
/// Registered by <c>services.AddOllamaChatProvider()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class OllamaChatProviderFactory()
    : NativeChatProviderFactory<OllamaChatClientOptions>(ProviderName, requiresApiKey: false, OllamaChatClientOptions.DefaultEndpoint, defaultModel: null, ["OLLAMA_API_KEY"], KeepAliveKey, ContextLengthKey)
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "ollama";

    /// <summary>The configuration key of <see cref="OllamaChatClientOptions.KeepAlive"/>.</summary>
    internal const string KeepAliveKey = "KeepAlive";

    /// <summary>The configuration key of <see cref="OllamaChatClientOptions.ContextLength"/>.</summary>
    internal const string ContextLengthKey = "ContextLength";

    /// <inheritdoc/>
    protected override void Configure(OllamaChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Configuration[KeepAliveKey] is { Length: > 0 } keepAlive)
        {
            options.KeepAlive = keepAlive.Trim();
        }

        if (int.TryParse(context.Configuration[ContextLengthKey], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var contextLength) && contextLength > 0)
        {
            options.ContextLength = contextLength;
        }
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(OllamaChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OllamaChatClient(options, context.HttpClient);
    }
}
