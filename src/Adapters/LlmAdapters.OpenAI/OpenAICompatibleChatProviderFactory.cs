// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.OpenAI;

/// <summary>
/// The descriptor of a provider that speaks OpenAI's Chat Completions API: OpenAI itself, vLLM, DashScope compatible mode,
/// Ollama's <c>/v1</c>… (<see cref="OpenAICompatibleProviders"/>, each with its default model). Provider-specific keys:
/// <c>Organization</c>, <c>Project</c>, <c>UseMaxTokens</c>, <c>ServiceTier</c> (the <c>service_tier</c> the native client sends) and <c>Implementation</c> (<c>native</c>, the default:
/// <see cref="OpenAIChatCompletionsClient"/>; <c>sdk</c>: the LlmAdapters.OpenAI.Sdk package's client, registered as an
/// <see cref="IOpenAIChatClientImplementation"/>). Registered by <c>services.AddOpenAIChatProviders()</c>.
/// </summary>
public sealed class OpenAICompatibleChatProviderFactory : NativeChatProviderFactory<OpenAICompatibleChatClientOptions>
{
    /// <summary>The configuration key of the OpenAI organization.</summary>
    internal const string OrganizationKey = "Organization";

    /// <summary>The configuration key of the OpenAI project.</summary>
    internal const string ProjectKey = "Project";

    /// <summary>The configuration key choosing the implementation: <c>native</c> (<see cref="OpenAIChatCompletionsClient"/>) or <c>sdk</c>.</summary>
    internal const string ImplementationKey = "Implementation";

    /// <summary>The configuration key that makes the native implementation send <c>max_tokens</c> instead of <c>max_completion_tokens</c> (older servers).</summary>
    internal const string UseMaxTokensKey = "UseMaxTokens";

    /// <summary>The configuration key of the <c>service_tier</c> the native implementation sends (<c>flex</c>, <c>priority</c>, <c>default</c>, <c>auto</c>).</summary>
    internal const string ServiceTierKey = "ServiceTier";

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatProviderFactory"/> class.</summary>
    /// <param name="preset">The server: name, default endpoint, key variable, default model.</param>
    /// <param name="defaultModel">The model used when none is configured, instead of the preset's; <see langword="null"/> for the preset's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="preset"/> is null.</exception>
    public OpenAICompatibleChatProviderFactory(OpenAICompatibleProvider preset, string? defaultModel = null)
        : base(
            (preset ?? throw new ArgumentNullException(nameof(preset))).Name,
            preset.RequiresApiKey,
            preset.DefaultEndpoint,
            defaultModel ?? preset.DefaultModel,
            preset.ApiKeyEnvironmentVariable is { } variable ? [variable] : [],
            OrganizationKey,
            ProjectKey,
            ImplementationKey,
            UseMaxTokensKey,
            ServiceTierKey)
    {
    }

    /// <summary>Gets the descriptors of every preset of <see cref="OpenAICompatibleProviders.All"/>.</summary>
    public static IReadOnlyList<OpenAICompatibleChatProviderFactory> All { get; } = [.. OpenAICompatibleProviders.All.Select(p => new OpenAICompatibleChatProviderFactory(p))];

    /// <inheritdoc/>
    protected override void Configure(OpenAICompatibleChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        options.ProviderName = Name;
        options.Organization = context.Configuration[OrganizationKey];
        options.Project = context.Configuration[ProjectKey];
    }

    /// <inheritdoc/>
    public override IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(pathOf);
        var errors = new List<string>(base.ValidateConfiguration(configuration, pathOf));
        _ = ReadKeys(configuration, pathOf, errors);
        return errors;
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(OpenAICompatibleChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var implementation = context.Configuration[ImplementationKey];

        // The implementation switch: native by default for every preset, openai included (see docs/providers.md); another on request.
        if (OpenAIImplementationSelector.UseNative(implementation))
        {
            var keys = ReadKeys(context.Configuration, pathOf: null, errors: null);
            return new OpenAIChatCompletionsClient(
                new OpenAIChatCompletionsClientOptions { Common = options, UseMaxTokens = keys.UseMaxTokens, ServiceTier = keys.ServiceTier },
                context.HttpClient);
        }

        var registered = context.Services.GetService(typeof(IEnumerable<IOpenAIChatClientImplementation>)) as IEnumerable<IOpenAIChatClientImplementation> ?? [];
        var chosen = registered.LastOrDefault(i => string.Equals(i.Name, implementation!.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"The client's Implementation is '{implementation}', which is in the LlmAdapters.OpenAI.Sdk package: reference it and call services.AddOpenAISdkImplementation() " +
                "(the LlmAdapters package does both), or remove Implementation for the native client.");
        return chosen.CreateClient(options, context.HttpClient);
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
        var serviceTier = configuration[ServiceTierKey] is { Length: > 0 } tier && !string.IsNullOrWhiteSpace(tier) ? tier.Trim() : null;
        return new Keys(native, useMaxTokens, serviceTier);
    }

    // The section path ConfigurationReader names a key under, from the path the user wrote for it.
    private static string? SectionOf(Func<string, string>? pathOf, string key) =>
        pathOf?.Invoke(key) is { } path && path.EndsWith(":" + key, StringComparison.OrdinalIgnoreCase) ? path[..^(key.Length + 1)] : null;

    private readonly record struct Keys(bool Native, bool UseMaxTokens, string? ServiceTier);
}
