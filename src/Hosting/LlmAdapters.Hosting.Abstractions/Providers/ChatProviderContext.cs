// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>What an <see cref="IChatProviderFactory"/> is given to create one client's adapter.</summary>
public sealed class ChatProviderContext
{
    /// <summary>Initializes a new instance of the <see cref="ChatProviderContext"/> class.</summary>
    /// <param name="settings">The resolved settings of the client.</param>
    /// <param name="configuration">The client's configuration (its own keys over the shared <c>AI</c> keys), for provider-specific keys.</param>
    /// <param name="httpClient">The HTTP client to send requests with.</param>
    /// <param name="services">The application's services.</param>
    public ChatProviderContext(ChatClientSettings settings, IConfiguration configuration, HttpClient httpClient, IServiceProvider services)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        HttpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        Services = services ?? throw new ArgumentNullException(nameof(services));
    }

    /// <summary>Gets the resolved settings of the client: provider, model, endpoint, API key.</summary>
    public ChatClientSettings Settings { get; }

    /// <summary>Gets the client's configuration: its own keys over the shared <c>AI</c> keys.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Gets the HTTP client to send requests with (from <c>IHttpClientFactory</c>, named <c>LlmAdapters.{client}</c>).</summary>
    public HttpClient HttpClient { get; }

    /// <summary>Gets the application's services.</summary>
    public IServiceProvider Services { get; }
}
