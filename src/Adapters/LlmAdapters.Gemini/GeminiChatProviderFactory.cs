// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini;

/// <summary>
/// The <c>gemini</c> provider: the Gemini API through <see cref="GeminiChatClient"/>, keyed by <c>GEMINI_API_KEY</c>, then
/// <c>GOOGLE_API_KEY</c> (as Google's own SDKs read them). Provider-specific keys: <c>GeminiApiVersion</c> (default <c>v1beta</c>), <c>ServiceTier</c> (the <c>service_tier</c> sent).
/// Registered by <c>services.AddGeminiChatProvider()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class GeminiChatProviderFactory()
    : NativeChatProviderFactory<GeminiChatClientOptions>(
        ProviderName, requiresApiKey: true, GeminiChatClientOptions.DefaultEndpoint, GeminiChatClientOptions.DefaultModel, [ApiKeyVariable, FallbackApiKeyVariable], ApiVersionKey, ServiceTierKey)
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "gemini";

    /// <summary>The environment variable read first for the API key.</summary>
    public const string ApiKeyVariable = "GEMINI_API_KEY";

    /// <summary>The environment variable read when <c>GEMINI_API_KEY</c> is empty.</summary>
    public const string FallbackApiKeyVariable = "GOOGLE_API_KEY";

    /// <summary>The configuration key of the API version.</summary>
    internal const string ApiVersionKey = "GeminiApiVersion";

    /// <summary>The configuration key of the <c>service_tier</c> sent with every request (<c>flex</c>, <c>priority</c>, <c>standard</c>).</summary>
    internal const string ServiceTierKey = "ServiceTier";

    /// <inheritdoc/>
    /// <remarks>The probe of the default API version, <c>v1beta</c> (see <see cref="CreateHealthProbe(ChatClientSettings, Microsoft.Extensions.Configuration.IConfiguration)"/>).</remarks>
    public override ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) => CreateProbe(settings, GeminiChatClientOptions.DefaultApiVersion);

    /// <inheritdoc/>
    /// <remarks>
    /// Gemini's model list of the configured API version (<c>GeminiApiVersion</c>, default <c>v1beta</c>), at the path the
    /// client calls: <c>GET {endpoint}/{version}/models?pageSize=1</c>, with the key in <c>x-goog-api-key</c> (never a Bearer
    /// key, which Gemini refuses, nor the URL). Gemini refuses a bad key with 400 <c>API_KEY_INVALID</c>.
    /// </remarks>
    public override ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings, Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        CreateProbe(settings, configuration?[ApiVersionKey] is { Length: > 0 } version && version.Trim().Trim('/').Length > 0 ? version : GeminiChatClientOptions.DefaultApiVersion);

    private ChatProviderHealthProbe? CreateProbe(ChatClientSettings settings, string apiVersion) =>
        CreateGetProbe(
            settings,
            endpoint => GeminiChatClient.ModelsBase(endpoint, apiVersion) + "?pageSize=1",
            static (request, key) => request.Headers.TryAddWithoutValidation("x-goog-api-key", key),
            refusesKey: static (status, body) => status == 400 && body.Contains("API_KEY_INVALID", StringComparison.Ordinal));

    /// <inheritdoc/>
    protected override void Configure(GeminiChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Configuration[ApiVersionKey] is { Length: > 0 } version)
        {
            options.ApiVersion = version.Trim();
        }

        if (context.Configuration[ServiceTierKey] is { Length: > 0 } tier)
        {
            options.ServiceTier = tier.Trim();
        }
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(GeminiChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new GeminiChatClient(options, context.HttpClient);
    }
}
