// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope;

/// <summary>
/// The <c>dashscope-native</c> provider: DashScope's native generation API through <see cref="DashScopeChatClient"/>, keyed by
/// <c>DASHSCOPE_API_KEY</c>; international endpoint by default (set <c>AI:Endpoint</c> to https://dashscope.aliyuncs.com for
/// mainland China). The OpenAI-compatible mode stays the provider <c>dashscope</c>.
/// Registered by <c>services.AddDashScopeChatProviders()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class DashScopeNativeChatProviderFactory()
    : NativeChatProviderFactory<DashScopeChatClientOptions>(ProviderName, requiresApiKey: true, DashScopeChatClientOptions.InternationalEndpoint, "qwen-plus", ["DASHSCOPE_API_KEY"])
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "dashscope-native";

    /// <inheritdoc/>
    /// <remarks>
    /// DashScope's cheapest request that needs the key: the model list of its OpenAI-compatible mode on the same host,
    /// <c>GET {endpoint}/compatible-mode/v1/models</c> with a Bearer key (the native API has no list of its own; its
    /// generation calls cost tokens).
    /// </remarks>
    public override ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) =>
        CreateGetProbe(
            settings,
            static endpoint => endpoint.ToString().TrimEnd('/') + "/compatible-mode/v1/models",
            static (request, key) =>
            {
                if (!string.IsNullOrEmpty(key))
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
                }
            });

    /// <inheritdoc/>
    protected override IChatClient CreateClient(DashScopeChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DashScopeChatClient(options, context.HttpClient);
    }
}
