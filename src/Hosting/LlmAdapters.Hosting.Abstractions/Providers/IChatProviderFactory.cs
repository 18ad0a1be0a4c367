// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// The descriptor of one provider (<c>openai</c>, <c>anthropic</c>, …): its name, key variable, default endpoint and
/// model, the provider-specific configuration keys it reads, and the factory of its adapter <see cref="IChatClient"/>.
/// Each adapter package ships its own; hosting lists the built-in ones.
/// Register one with <see cref="Microsoft.Extensions.DependencyInjection.ChatProviderServiceCollectionExtensions.AddChatProvider(Microsoft.Extensions.DependencyInjection.IServiceCollection, IChatProviderFactory)"/>
/// to add a provider name that <c>AI:Provider</c> can select, without changing this library.
/// </summary>
public interface IChatProviderFactory
{
    /// <summary>Gets the provider name matched (case-insensitively) against <c>AI:Provider</c>.</summary>
    string Name { get; }

    /// <summary>Gets the environment variable read for the API key when <c>AI:ApiKey</c> is not set, or <see langword="null"/>.</summary>
    string? ApiKeyEnvironmentVariable { get; }

    /// <summary>
    /// Gets every environment variable read for the API key when <c>AI:ApiKey</c> is not set, in order: the first that is
    /// set wins (Gemini reads <c>GEMINI_API_KEY</c>, then <c>GOOGLE_API_KEY</c>).
    /// </summary>
    /// <value>The default value is <see cref="ApiKeyEnvironmentVariable"/> alone, or none.</value>
    IReadOnlyList<string> ApiKeyEnvironmentVariables => ApiKeyEnvironmentVariable is { } variable ? [variable] : [];

    /// <summary>Gets a value indicating whether a call cannot succeed without an API key (false for local servers).</summary>
    bool RequiresApiKey { get; }

    /// <summary>Gets the endpoint used when <c>AI:Endpoint</c> is not set, or <see langword="null"/> when one must be configured.</summary>
    Uri? DefaultEndpoint { get; }

    /// <summary>Gets the model used when <c>AI:Model</c> is not set, so that switching provider is a change of <c>AI:Provider</c> alone; <see langword="null"/> when a model must be configured.</summary>
    string? DefaultModel => null;

    /// <summary>
    /// Gets the provider-specific keys this provider reads from the client's configuration (e.g. <c>AnthropicVersion</c>),
    /// beside the common ones (<c>Provider</c>, <c>Model</c>, <c>Endpoint</c>, <c>ApiKey</c>…): a key that neither lists
    /// is reported as unknown, with the nearest known key.
    /// </summary>
    IReadOnlyCollection<string> ConfigurationKeys => [];

    /// <summary>
    /// Checks the values of the provider-specific keys, collecting every problem instead of throwing: configuration
    /// validation (<c>ValidateOnStart</c>, <c>ConfiguredChatClients.Validate</c>) reports them with the others.
    /// </summary>
    /// <param name="configuration">The client's configuration: its own keys over the shared <c>AI</c> keys.</param>
    /// <param name="pathOf">Gives a key's path as the user wrote it (<c>AI:Clients:chat:MaxResponseBytes</c>), for the messages.</param>
    /// <returns>One message per problem, each naming its key's path; none by default.</returns>
    IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) => [];

    /// <summary>
    /// Creates the provider's health probe for a client: the provider's own cheapest request that needs the key (Gemini's
    /// model list with <c>x-goog-api-key</c>, Ollama's <c>/api/tags</c>…). The default, <see langword="null"/>, leaves the
    /// probe to hosting: <c>GET {endpoint}/models</c> with a Bearer key, as OpenAI-compatible servers answer.
    /// </summary>
    /// <param name="settings">The client's settings (endpoint, key, model).</param>
    /// <returns>The probe, or <see langword="null"/> for hosting's default.</returns>
    ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) => null;

    /// <summary>
    /// Creates the provider's health probe for a client, given the client's configuration too, for a probe that depends on a
    /// provider-specific key (Gemini's <c>GeminiApiVersion</c> chooses the model list's path). The health check calls this one.
    /// </summary>
    /// <param name="settings">The client's settings (endpoint, key, model).</param>
    /// <param name="configuration">The client's configuration: its own keys over the shared <c>AI</c> keys.</param>
    /// <returns>The probe, or <see langword="null"/> for hosting's default; by default <see cref="CreateHealthProbe(ChatClientSettings)"/>'s.</returns>
    ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings, IConfiguration configuration) => CreateHealthProbe(settings);

    /// <summary>Creates the provider's adapter, with no middleware.</summary>
    /// <param name="context">What the configuration says of the client, with the services to use.</param>
    /// <returns>The adapter. The caller owns it and disposes of it.</returns>
    IChatClient CreateClient(ChatProviderContext context);
}
