// Licensed under the MIT License.

using LlmAdapters.Native;

namespace LlmAdapters.Gemini;

/// <summary>Options of a <see cref="GeminiChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only in the <c>x-goog-api-key</c> header (never in the
/// URL), and masked in every exception even when Google echoes it. A key with a line break, a control or a non-ASCII character is
/// rejected by the client's constructor.</remarks>
public sealed class GeminiChatClientOptions
{
    /// <summary>The endpoint used when <see cref="Endpoint"/> is not set: <c>https://generativelanguage.googleapis.com</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://generativelanguage.googleapis.com");

    /// <summary>The value of <see cref="ApiVersion"/> when not set.</summary>
    public const string DefaultApiVersion = "v1beta";

    /// <summary>The model used by the hosting layer when none is configured.</summary>
    public const string DefaultModel = "gemini-2.5-flash";

    /// <summary>Gets or sets the base URL of the API, without the version; requests go to <c>{Endpoint}/{ApiVersion}/models/{model}:generateContent</c>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="DefaultEndpoint"/>.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API version segment of the URL.</summary>
    /// <value>The default value is <c>v1beta</c> (<see cref="DefaultApiVersion"/>).</value>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>Gets or sets the API key, sent as <c>x-goog-api-key</c>. Left out of the request when empty (for proxies that add it).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model id (e.g. <c>gemini-2.5-flash</c>), used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>: every request must then name its model.</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay
    /// silent (before its headers, or between two events). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the largest response body, in bytes, read before failing (a whole response, or a whole stream); <see langword="null"/> for no limit.</summary>
    /// <value>The default value is 32 MiB (<see cref="NativeTransportOptions.DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = NativeTransportOptions.DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock used for <see cref="Microsoft.Extensions.AI.ChatResponse.CreatedAt"/>, the network timeout and HTTP-date <c>Retry-After</c> headers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the <c>service_tier</c> sent with every request (<c>flex</c>, <c>priority</c>, <c>standard</c>), unless the call sets <see cref="GeminiChatClient.ServiceTierPropertyName"/>.</summary>
    /// <value>The default value is <see langword="null"/>: none is sent (standard).</value>
    public string? ServiceTier { get; set; }
}
