// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>What a <see cref="NativeHttpTransport"/> needs to know of its provider: its name, its credential header and its limits.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is sent only in the <see cref="ApiKeyHeaderName"/> header, and masked in every exception the transport throws.</remarks>
public sealed class NativeTransportOptions
{
    /// <summary>The value of <see cref="MaxResponseBytes"/> when not set: 32 MiB.</summary>
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;

    /// <summary>Gets or sets the provider name put in every <see cref="ChatProviderException"/> (e.g. <c>anthropic</c>, <c>gemini</c>).</summary>
    public required string ProviderName { get; set; }

    /// <summary>Gets or sets the API key, or <see langword="null"/> to send none (for proxies that add it).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the header that carries <see cref="ApiKey"/> (e.g. <c>x-api-key</c>, <c>x-goog-api-key</c>, <c>Authorization</c>).</summary>
    /// <value>The default value is <c>Authorization</c>.</value>
    public string ApiKeyHeaderName { get; set; } = "Authorization";

    /// <summary>Gets or sets the text written before the key in its header (e.g. <c>Bearer </c>).</summary>
    /// <value>The default value is <see langword="null"/>: the key alone.</value>
    public string? ApiKeyPrefix { get; set; }

    /// <summary>Gets the headers sent with every request besides the key (e.g. <c>anthropic-version</c>).</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay
    /// silent (before its headers, or between two events). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the largest response body, in bytes, the transport reads (a whole response, or a whole stream) before
    /// failing with a <see cref="ChatProviderException"/>; <see langword="null"/> for no limit.
    /// </summary>
    /// <value>The default value is 32 MiB (<see cref="DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock of the network timeout and of HTTP-date <c>Retry-After</c> values.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the provider's refinement of the shared error taxonomy: given the exception the shared rules built and the
    /// response (when one was received), returns the exception to throw (the same one when nothing changes). This is where a
    /// provider's own error types (Anthropic <c>overloaded_error</c>) and headers (its request id) are read.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the shared rules alone.</value>
    public Func<ChatProviderException, HttpResponseMessage?, ChatProviderException>? RefineError { get; set; }

    /// <summary>
    /// Gets or sets the origin (<see cref="ProviderState.CreateOrigin"/>) the transport marks every response and streamed
    /// update with, as it leaves the adapter (<see cref="ProviderState.Mark(Microsoft.Extensions.AI.ChatResponse, string)"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: nothing is marked.</value>
    public string? StateOrigin { get; set; }
}
