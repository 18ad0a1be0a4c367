// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Anthropic;

/// <summary>
/// The <c>anthropic</c> provider: the Messages API through <see cref="AnthropicChatClient"/>, keyed by <c>ANTHROPIC_API_KEY</c>.
/// Provider-specific keys: <c>AnthropicVersion</c> (the <c>anthropic-version</c> header) and <c>AnthropicBetas</c>
/// (a list, or one comma-separated string, for the <c>anthropic-beta</c> header). Registered by
/// <c>services.AddAnthropicChatProvider()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class AnthropicChatProviderFactory()
    : NativeChatProviderFactory<AnthropicChatClientOptions>(ProviderName, requiresApiKey: true, AnthropicChatClientOptions.DefaultEndpoint, DefaultModelId, [ApiKeyVariable], VersionKey, BetasKey)
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "anthropic";

    /// <summary>The environment variable read for the API key.</summary>
    public const string ApiKeyVariable = "ANTHROPIC_API_KEY";

    /// <summary>The model used when none is configured.</summary>
    public const string DefaultModelId = "claude-haiku-4-5";

    /// <summary>The configuration key of the API version.</summary>
    internal const string VersionKey = "AnthropicVersion";

    /// <summary>The configuration key of the beta features.</summary>
    internal const string BetasKey = "AnthropicBetas";

    /// <inheritdoc/>
    /// <remarks>Anthropic's model list, <c>GET /v1/models</c>, with the key in <c>x-api-key</c>.</remarks>
    public override ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) =>
        CreateGetProbe(
            settings,
            static endpoint => endpoint.ToString().TrimEnd('/') + "/v1/models",
            static (request, key) =>
            {
                request.Headers.TryAddWithoutValidation("x-api-key", key);
                request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicChatClientOptions.DefaultVersion);
            });

    /// <inheritdoc/>
    protected override void Configure(AnthropicChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Configuration[VersionKey] is { Length: > 0 } version)
        {
            options.Version = version.Trim();
        }

        if (context.Settings.MaxOutputTokens is { } maxOutputTokens and > 0)
        {
            options.DefaultMaxOutputTokens = maxOutputTokens;
        }

        foreach (var beta in ReadBetas(context.Configuration.GetSection(BetasKey)))
        {
            options.Betas.Add(beta);
        }
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(AnthropicChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AnthropicChatClient(options, context.HttpClient);
    }

    /// <summary>Reads the betas: a list (<c>AnthropicBetas:0</c>, <c>AnthropicBetas:1</c>…) or one comma-separated value.</summary>
    private static IEnumerable<string> ReadBetas(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value);
        return values
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal);
    }
}
