// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>
/// The options every native adapter has (endpoint, key, model, network timeout, response-size cap, clock), declared once:
/// each adapter's options type derives from it and adds only its provider's own members.
/// </summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only in its header, never logged or put in a message
/// (the exact key is masked in every exception, even when a server echoes it). A key with a line break, a control or a non-ASCII
/// character is rejected by the adapter's constructor (<see cref="ApiKeyRules"/>).</remarks>
public abstract class NativeChatClientOptions
{
    /// <summary>Gets or sets the base URL of the provider's API.</summary>
    /// <value>The default value is <see langword="null"/>: the adapter's default endpoint.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key. Left out of the request when empty (for local servers, and proxies that add it).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model id, used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>: every request must then name its model (where the adapter allows it).</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay
    /// silent (before its headers, or between two events). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the largest response body, in bytes, read before failing with a non-transient <see cref="ChatProviderException"/>
    /// (a whole response, or a whole stream); <see langword="null"/> for no limit.
    /// </summary>
    /// <value>The default value is 32 MiB (<see cref="NativeTransportOptions.DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = NativeTransportOptions.DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock used for <see cref="Microsoft.Extensions.AI.ChatResponse.CreatedAt"/>, the network timeout and HTTP-date <c>Retry-After</c> headers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// For adapter constructors: the endpoint to use (<see cref="Endpoint"/>, or <paramref name="defaultEndpoint"/>), checked to be
    /// absolute, and the transport options carrying the key, the network timeout, the size cap and the clock.
    /// </summary>
    /// <param name="defaultEndpoint">The adapter's default endpoint, or <see langword="null"/> when one must be set.</param>
    /// <param name="transport">The provider's name, key header and error refinement; the shared members are set here.</param>
    /// <returns>The endpoint to use, absolute.</returns>
    /// <exception cref="ArgumentException">No endpoint is known, or it is not absolute.</exception>
    public Uri ApplyTo(Uri? defaultEndpoint, NativeTransportOptions transport)
    {
        ArgumentNullException.ThrowIfNull(transport);

        // The exceptions name the adapter constructor's parameter, whose options these are.
        string optionsParameter = "options", endpointParameter = "options.Endpoint";
        var endpoint = Endpoint ?? defaultEndpoint
            ?? throw new ArgumentException($"An endpoint must be configured for provider '{transport.ProviderName}'.", endpointParameter);
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("The endpoint must be an absolute URI.", optionsParameter);
        }

        transport.ApiKey = ApiKey;
        transport.NetworkTimeout = NetworkTimeout;
        transport.MaxResponseBytes = MaxResponseBytes;
        transport.TimeProvider = TimeProvider;
        return endpoint;
    }
}
