// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Gemini;

/// <summary>
/// The <c>gemini</c> provider: the Gemini API through <see cref="GeminiChatClient"/>, keyed by <c>GEMINI_API_KEY</c>, then
/// <c>GOOGLE_API_KEY</c> (as Google's own SDKs read them). Provider-specific key: <c>GeminiApiVersion</c> (default <c>v1beta</c>).
/// The hosting package lists it among the built-in providers; register it yourself with
/// <c>services.AddChatProvider(new GeminiChatProviderFactory())</c>.
/// </summary>
public sealed class GeminiChatProviderFactory : IChatProviderFactory
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "gemini";

    /// <summary>The configuration key of the API version.</summary>
    internal const string ApiVersionKey = "GeminiApiVersion";

    /// <summary>The configuration key of the <c>service_tier</c> sent with every request (<c>flex</c>, <c>priority</c>, <c>standard</c>).</summary>
    internal const string ServiceTierKey = "ServiceTier";

    /// <summary>The environment variable read first for the API key.</summary>
    public const string ApiKeyVariable = "GEMINI_API_KEY";

    /// <summary>The environment variable read when <c>GEMINI_API_KEY</c> is empty.</summary>
    public const string FallbackApiKeyVariable = "GOOGLE_API_KEY";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => ApiKeyVariable;

    /// <inheritdoc/>
    public IReadOnlyList<string> ApiKeyEnvironmentVariables { get; } = [ApiKeyVariable, FallbackApiKeyVariable];

    /// <inheritdoc/>
    public bool RequiresApiKey => true;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => GeminiChatClientOptions.DefaultEndpoint;

    /// <inheritdoc/>
    public string? DefaultModel => GeminiChatClientOptions.DefaultModel;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [ApiVersionKey, ServiceTierKey, ResponseSizeLimit.ConfigurationKey];

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) =>
        ResponseSizeLimit.Validate(configuration?[ResponseSizeLimit.ConfigurationKey], pathOf(ResponseSizeLimit.ConfigurationKey));

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var options = new GeminiChatClientOptions
        {
            Endpoint = settings.Endpoint,
            ApiKey = settings.ApiKey,
            Model = settings.Model,
            NetworkTimeout = settings.NetworkTimeout,
            MaxResponseBytes = ResponseSizeLimit.Read(context.Configuration[ResponseSizeLimit.ConfigurationKey]) ?? NativeTransportOptions.DefaultMaxResponseBytes,
            TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
            ServiceTier = context.Configuration[ServiceTierKey] is { Length: > 0 } tier ? tier.Trim() : null,
        };

        if (context.Configuration[ApiVersionKey] is { Length: > 0 } version)
        {
            options.ApiVersion = version.Trim();
        }

        return new GeminiChatClient(options, context.HttpClient);
    }
}
