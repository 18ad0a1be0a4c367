// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI;

/// <summary>
/// The descriptor of a provider that speaks OpenAI's Chat Completions API: OpenAI itself, vLLM, DashScope compatible mode,
/// Ollama's <c>/v1</c>… (<see cref="OpenAICompatibleProviders"/>, each with its default model). Provider-specific keys:
/// <c>Organization</c>, <c>Project</c>, <c>UseMaxTokens</c> and <c>Implementation</c> (<c>native</c>, the default:
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
            UseMaxTokensKey)
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
    protected override IChatClient CreateClient(OpenAICompatibleChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var implementation = context.Configuration[ImplementationKey];

        // The implementation switch: native by default for every preset, openai included (see docs/providers.md); another on request.
        if (OpenAIImplementationSelector.UseNative(implementation))
        {
            return new OpenAIChatCompletionsClient(
                new OpenAIChatCompletionsClientOptions { Common = options, UseMaxTokens = bool.TryParse(context.Configuration[UseMaxTokensKey], out var useMaxTokens) && useMaxTokens },
                context.HttpClient);
        }

        var registered = context.Services.GetService(typeof(IEnumerable<IOpenAIChatClientImplementation>)) as IEnumerable<IOpenAIChatClientImplementation> ?? [];
        var chosen = registered.LastOrDefault(i => string.Equals(i.Name, implementation!.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"The client's Implementation is '{implementation}', which is in the LlmAdapters.OpenAI.Sdk package: reference it and call services.AddOpenAISdkImplementation() " +
                "(the LlmAdapters package does both), or remove Implementation for the native client.");
        return chosen.CreateClient(options, context.HttpClient);
    }
}
