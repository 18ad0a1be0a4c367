// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.OpenAI;

/// <summary>
/// The descriptor of a provider spoken through <see cref="OpenAICompatibleChatClient"/>: OpenAI itself, vLLM, DashScope
/// compatible mode, Ollama's <c>/v1</c>… (<see cref="OpenAICompatibleProviders"/>), with its default model.
/// Provider-specific keys: <c>Organization</c>, <c>Project</c>, and <c>ServiceTier</c> (the <c>service_tier</c> sent by the native implementation).
/// </summary>
public sealed class OpenAICompatibleChatProviderFactory : IChatProviderFactory
{
    /// <summary>The configuration key of the OpenAI organization.</summary>
    internal const string OrganizationKey = "Organization";

    /// <summary>The configuration key of the OpenAI project.</summary>
    internal const string ProjectKey = "Project";

    /// <summary>The configuration key choosing the implementation: <c>native</c> (<see cref="OpenAIChatCompletionsClient"/>) or <c>sdk</c> (<see cref="OpenAICompatibleChatClient"/>).</summary>
    internal const string ImplementationKey = "Implementation";

    /// <summary>The configuration key that makes the native implementation send <c>max_tokens</c> instead of <c>max_completion_tokens</c> (older servers).</summary>
    internal const string UseMaxTokensKey = "UseMaxTokens";

    /// <summary>The configuration key of the <c>service_tier</c> the native implementation sends (<c>flex</c>, <c>priority</c>, <c>default</c>, <c>auto</c>).</summary>
    internal const string ServiceTierKey = "ServiceTier";

    /// <summary>
    /// The model used when <c>AI:Model</c> is not set, so that switching provider is a change of <c>AI:Provider</c> alone.
    /// Local servers (vLLM, Ollama, LM Studio) serve whatever was loaded: there the model must be configured.
    /// </summary>
    private static readonly Dictionary<string, string> s_defaultModels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "gpt-4o-mini",
        ["dashscope"] = "qwen-plus",
        ["groq"] = "llama-3.3-70b-versatile",
        ["together"] = "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        ["deepseek"] = "deepseek-chat",
    };

    private readonly OpenAICompatibleProvider _preset;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatProviderFactory"/> class.</summary>
    /// <param name="preset">The server: name, default endpoint, key variable.</param>
    /// <param name="defaultModel">The model used when none is configured, or <see langword="null"/> when one must be.</param>
    /// <exception cref="ArgumentNullException"><paramref name="preset"/> is null.</exception>
    public OpenAICompatibleChatProviderFactory(OpenAICompatibleProvider preset, string? defaultModel = null)
    {
        ArgumentNullException.ThrowIfNull(preset);
        _preset = preset;
        DefaultModel = defaultModel;
    }

    /// <summary>Gets the descriptors of every preset of <see cref="OpenAICompatibleProviders.All"/>, with their default models.</summary>
    public static IReadOnlyList<OpenAICompatibleChatProviderFactory> All { get; } =
        [.. OpenAICompatibleProviders.All.Select(p => new OpenAICompatibleChatProviderFactory(p, s_defaultModels.GetValueOrDefault(p.Name)))];

    /// <inheritdoc/>
    public string Name => _preset.Name;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => _preset.ApiKeyEnvironmentVariable;

    /// <inheritdoc/>
    public bool RequiresApiKey => _preset.RequiresApiKey;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => _preset.DefaultEndpoint;

    /// <inheritdoc/>
    public string? DefaultModel { get; }

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [OrganizationKey, ProjectKey, ImplementationKey, UseMaxTokensKey, ServiceTierKey, ResponseSizeLimit.ConfigurationKey];

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) =>
        ResponseSizeLimit.Validate(configuration?[ResponseSizeLimit.ConfigurationKey], pathOf(ResponseSizeLimit.ConfigurationKey));

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var timeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var common = new OpenAICompatibleChatClientOptions
        {
            ProviderName = Name,
            Endpoint = settings.Endpoint,
            ApiKey = settings.ApiKey,
            Organization = context.Configuration[OrganizationKey],
            Project = context.Configuration[ProjectKey],
            Model = settings.Model,
            NetworkTimeout = settings.NetworkTimeout,
            MaxResponseBytes = ResponseSizeLimit.Read(context.Configuration[ResponseSizeLimit.ConfigurationKey]) ?? NativeTransportOptions.DefaultMaxResponseBytes,
            TimeProvider = timeProvider,
        };

        // The implementation switch: native by default for every preset, openai included (see docs/providers.md), sdk on request.
        return OpenAIImplementationSelector.UseNative(context.Configuration[ImplementationKey])
            ? new OpenAIChatCompletionsClient(
                new OpenAIChatCompletionsClientOptions { Common = common, UseMaxTokens = bool.TryParse(context.Configuration[UseMaxTokensKey], out var useMaxTokens) && useMaxTokens, ServiceTier = context.Configuration[ServiceTierKey] },
                context.HttpClient)
            : new OpenAICompatibleChatClient(common, context.HttpClient);
    }
}
