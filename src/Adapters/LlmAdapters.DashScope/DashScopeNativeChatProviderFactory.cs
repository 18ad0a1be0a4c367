// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.DashScope;

/// <summary>
/// The <c>dashscope-native</c> provider: DashScope's native generation API through <see cref="DashScopeChatClient"/>, keyed by
/// <c>DASHSCOPE_API_KEY</c>; international endpoint by default (set <c>AI:Endpoint</c> to https://dashscope.aliyuncs.com for
/// mainland China). The OpenAI-compatible mode stays the provider <c>dashscope</c>.
/// The hosting package lists it among the built-in providers; register it yourself with
/// <c>services.AddChatProvider(new DashScopeNativeChatProviderFactory())</c>.
/// </summary>
public sealed class DashScopeNativeChatProviderFactory : IChatProviderFactory
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "dashscope-native";

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => "DASHSCOPE_API_KEY";

    /// <inheritdoc/>
    public bool RequiresApiKey => true;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => DashScopeChatClientOptions.InternationalEndpoint;

    /// <inheritdoc/>
    public string? DefaultModel => "qwen-plus";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [ResponseSizeLimit.ConfigurationKey];

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) =>
        ResponseSizeLimit.Validate(configuration?[ResponseSizeLimit.ConfigurationKey], pathOf(ResponseSizeLimit.ConfigurationKey));

    /// <inheritdoc/>
    /// <remarks>
    /// DashScope's cheapest request that needs the key: the model list of its OpenAI-compatible mode on the same host,
    /// <c>GET {endpoint}/compatible-mode/v1/models</c> with a Bearer key (the native API has no list of its own; its
    /// generation calls cost tokens).
    /// </remarks>
    public ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.Endpoint ?? DefaultEndpoint;
        if (endpoint is null)
        {
            return null;
        }

        var key = settings.ApiKey ?? (settings.ApiKeys.Count > 0 ? settings.ApiKeys[0] : null);
        var uri = new Uri(endpoint.ToString().TrimEnd('/') + "/compatible-mode/v1/models");
        return new ChatProviderHealthProbe(uri, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (!string.IsNullOrEmpty(key))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            }

            return request;
        });
    }

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        return new DashScopeChatClient(
            new DashScopeChatClientOptions
            {
                Endpoint = settings.Endpoint,
                ApiKey = settings.ApiKey,
                Model = settings.Model,
                NetworkTimeout = settings.NetworkTimeout,
                MaxResponseBytes = ResponseSizeLimit.Read(context.Configuration[ResponseSizeLimit.ConfigurationKey]) ?? NativeTransportOptions.DefaultMaxResponseBytes,
                TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
            },
            context.HttpClient);
    }
}
