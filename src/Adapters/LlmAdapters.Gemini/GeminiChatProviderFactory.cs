// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini;

/// <summary>
/// The <c>gemini</c> provider: the Gemini API through <see cref="GeminiChatClient"/>, keyed by <c>GEMINI_API_KEY</c>, then
/// <c>GOOGLE_API_KEY</c> (as Google's own SDKs read them). Provider-specific key: <c>GeminiApiVersion</c> (default <c>v1beta</c>).
/// Registered by <c>services.AddGeminiChatProvider()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class GeminiChatProviderFactory()
    : NativeChatProviderFactory<GeminiChatClientOptions>(
        ProviderName, requiresApiKey: true, GeminiChatClientOptions.DefaultEndpoint, GeminiChatClientOptions.DefaultModel, [ApiKeyVariable, FallbackApiKeyVariable], ApiVersionKey)
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "gemini";

    /// <summary>The environment variable read first for the API key.</summary>
    public const string ApiKeyVariable = "GEMINI_API_KEY";

    /// <summary>The environment variable read when <c>GEMINI_API_KEY</c> is empty.</summary>
    public const string FallbackApiKeyVariable = "GOOGLE_API_KEY";

    /// <summary>The configuration key of the API version.</summary>
    internal const string ApiVersionKey = "GeminiApiVersion";

    /// <inheritdoc/>
    protected override void Configure(GeminiChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Configuration[ApiVersionKey] is { Length: > 0 } version)
        {
            options.ApiVersion = version.Trim();
        }
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(GeminiChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GeminiChatClient(options, context.HttpClient);
    }
}
