// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// The cheapest request that tells whether a provider is reachable and accepts a client's key (a model list, never a chat
/// call), as its descriptor knows it: <see cref="IChatProviderFactory.CreateHealthProbe(ChatClientSettings, Microsoft.Extensions.Configuration.IConfiguration)"/>. The health check sends
/// <see cref="CreateRequest"/>: 401 or 403 is a refused key (Unhealthy), another error Degraded, a success Healthy unless
/// <see cref="CheckBody"/> says otherwise.
/// </summary>
public sealed class ChatProviderHealthProbe
{
    private readonly Func<HttpRequestMessage> _createRequest;

    /// <summary>Initializes a new instance of the <see cref="ChatProviderHealthProbe"/> class.</summary>
    /// <param name="uri">The address probed (shown in the health data; it must not hold the key).</param>
    /// <param name="createRequest">Creates the request, with the key in its header (called once per check).</param>
    /// <param name="checkBody">Reads a successful answer's body and returns why the client is only Degraded (e.g. the model is not pulled), or <see langword="null"/> when it is healthy; <see langword="null"/> to accept any success unread.</param>
    /// <param name="refusesKey">Tells from an error's status and body that the provider refused the key, for a provider that says so with another status than 401 or 403 (Gemini answers 400 <c>API_KEY_INVALID</c>); <see langword="null"/> for 401 and 403 alone.</param>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> or <paramref name="createRequest"/> is null.</exception>
    public ChatProviderHealthProbe(Uri uri, Func<HttpRequestMessage> createRequest, Func<string, string?>? checkBody = null, Func<int, string, bool>? refusesKey = null)
    {
        Uri = uri ?? throw new ArgumentNullException(nameof(uri));
        _createRequest = createRequest ?? throw new ArgumentNullException(nameof(createRequest));
        CheckBody = checkBody;
        RefusesKey = refusesKey;
    }

    /// <summary>Gets the reader of an error that tells a refused key by its body, or <see langword="null"/> when only 401 and 403 do.</summary>
    public Func<int, string, bool>? RefusesKey { get; }

    /// <summary>Gets the address probed.</summary>
    public Uri Uri { get; }

    /// <summary>Gets the reader of a successful answer's body, or <see langword="null"/> when any success is healthy.</summary>
    public Func<string, string?>? CheckBody { get; }

    /// <summary>Creates the probe's request.</summary>
    /// <returns>A new request; the caller disposes of it.</returns>
    public HttpRequestMessage CreateRequest() => _createRequest();
}
