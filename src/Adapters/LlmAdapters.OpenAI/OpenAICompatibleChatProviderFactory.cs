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
/// Provider-specific keys: <c>Organization</c> and <c>Project</c>.
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
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [OrganizationKey, ProjectKey, ImplementationKey, UseMaxTokensKey, ResponseSizeLimit.ConfigurationKey];

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(pathOf);
        var errors = new List<string>();
        _ = ReadKeys(configuration, pathOf, errors);
        return errors;
    }

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings;
        var keys = ReadKeys(context.Configuration, pathOf: null, errors: null);
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
            MaxResponseBytes = keys.MaxResponseBytes ?? NativeTransportOptions.DefaultMaxResponseBytes,
            TimeProvider = timeProvider,
        };

        // The implementation switch: native by default for every preset, openai included (see docs/providers.md), sdk on request.
        return keys.Native
            ? new OpenAIChatCompletionsClient(new OpenAIChatCompletionsClientOptions { Common = common, UseMaxTokens = keys.UseMaxTokens }, context.HttpClient)
            : new OpenAICompatibleChatClient(common, context.HttpClient);
    }

    /// <summary>
    /// Reads the provider-specific keys once, typed, as a pipeline stage reads its section: with <paramref name="errors"/>
    /// every bad value is collected (start-up validation), without it the first throws (<see cref="InvalidOperationException"/>).
    /// </summary>
    private static Keys ReadKeys(IConfiguration configuration, Func<string, string>? pathOf, List<string>? errors)
    {
        var native = true;
        if (configuration[ImplementationKey] is { } implementation && !string.IsNullOrWhiteSpace(implementation))
        {
            if (string.Equals(implementation.Trim(), OpenAIImplementationSelector.Sdk, StringComparison.OrdinalIgnoreCase))
            {
                native = false;
            }
            else if (errors is null)
            {
                // Creating a client from a configuration that was not validated: the selector's ArgumentException.
                native = OpenAIImplementationSelector.UseNative(implementation.Trim());
            }
            else if (!string.Equals(implementation.Trim(), OpenAIImplementationSelector.Native, StringComparison.OrdinalIgnoreCase))
            {
                ConfigurationReader.Report(
                    $"{pathOf?.Invoke(ImplementationKey) ?? ImplementationKey} is '{implementation}', which is neither '{OpenAIImplementationSelector.Native}' nor '{OpenAIImplementationSelector.Sdk}'.",
                    errors);
            }
        }

        var useMaxTokens = ConfigurationReader.GetBoolean(configuration, UseMaxTokensKey, errors, SectionOf(pathOf, UseMaxTokensKey)) ?? false;
        foreach (var problem in ResponseSizeLimit.Validate(configuration[ResponseSizeLimit.ConfigurationKey], pathOf?.Invoke(ResponseSizeLimit.ConfigurationKey) ?? ResponseSizeLimit.ConfigurationKey))
        {
            ConfigurationReader.Report(problem, errors);
        }

        var maxResponseBytes = errors is { Count: > 0 } ? null : ResponseSizeLimit.Read(configuration[ResponseSizeLimit.ConfigurationKey]);
        return new Keys(native, useMaxTokens, maxResponseBytes);
    }

    // The section path ConfigurationReader names a key under, from the path the user wrote for it.
    private static string? SectionOf(Func<string, string>? pathOf, string key) =>
        pathOf?.Invoke(key) is { } path && path.EndsWith(":" + key, StringComparison.OrdinalIgnoreCase) ? path[..^(key.Length + 1)] : null;

    private readonly record struct Keys(bool Native, bool UseMaxTokens, long? MaxResponseBytes);
}
