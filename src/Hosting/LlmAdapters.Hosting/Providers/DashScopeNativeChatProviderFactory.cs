// Licensed under the MIT License.

using LlmAdapters.DashScope;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// The <c>dashscope-native</c> provider: DashScope's native generation API through <see cref="DashScopeChatClient"/>, keyed by
/// <c>DASHSCOPE_API_KEY</c>; international endpoint by default (set <c>AI:Endpoint</c> to https://dashscope.aliyuncs.com for
/// mainland China). The OpenAI-compatible mode stays the provider <c>dashscope</c>.
/// </summary>
internal sealed class DashScopeNativeChatProviderFactory : IBuiltInChatProviderFactory
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "dashscope-native";

    public string Name => ProviderName;

    public string? ApiKeyEnvironmentVariable => "DASHSCOPE_API_KEY";

    public bool RequiresApiKey => true;

    public Uri? DefaultEndpoint => DashScopeChatClientOptions.InternationalEndpoint;

    public string? DefaultModel => "qwen-plus";

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
                TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
            },
            context.HttpClient);
    }
}
