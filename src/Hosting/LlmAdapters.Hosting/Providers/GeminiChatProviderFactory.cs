// Licensed under the MIT License.

using LlmAdapters.Gemini;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>
/// The <c>gemini</c> provider: the Gemini API through <see cref="GeminiChatClient"/>, keyed by <c>GEMINI_API_KEY</c>, then
/// <c>GOOGLE_API_KEY</c> (as Google's own SDKs read them). Provider-specific key: <c>GeminiApiVersion</c> (default <c>v1beta</c>).
/// </summary>
internal sealed class GeminiChatProviderFactory : IBuiltInChatProviderFactory
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "gemini";

    /// <summary>The configuration key of the API version.</summary>
    public const string ApiVersionKey = "GeminiApiVersion";

    /// <summary>The environment variable read when <c>GEMINI_API_KEY</c> is empty.</summary>
    public const string FallbackApiKeyEnvironmentVariable = "GOOGLE_API_KEY";

    public string Name => ProviderName;

    public string? ApiKeyEnvironmentVariable => "GEMINI_API_KEY";

    // GOOGLE_API_KEY may stand in for GEMINI_API_KEY, which the shared check does not know: the key is checked here.
    public bool RequiresApiKey => false;

    public Uri? DefaultEndpoint => GeminiChatClientOptions.DefaultEndpoint;

    public string? DefaultModel => GeminiChatClientOptions.DefaultModel;

    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var environment = context.Services.GetService<IOptions<ConfiguredChatClientsOptions>>()?.Value.GetEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var apiKey = settings.ApiKey is { Length: > 0 } configured ? configured : environment(FallbackApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidOperationException(
                $"The '{ProviderName}' provider needs an API key: set AI:ApiKey (or the client's ApiKey), or the environment variable GEMINI_API_KEY or {FallbackApiKeyEnvironmentVariable}.");
        }

        var options = new GeminiChatClientOptions
        {
            Endpoint = settings.Endpoint,
            ApiKey = apiKey,
            Model = settings.Model,
            NetworkTimeout = settings.NetworkTimeout,
            TimeProvider = context.Services.GetService<TimeProvider>() ?? TimeProvider.System,
        };

        if (context.Configuration[ApiVersionKey] is { Length: > 0 } version)
        {
            options.ApiVersion = version.Trim();
        }

        return new GeminiChatClient(options, context.HttpClient);
    }
}
