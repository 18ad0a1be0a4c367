// Licensed under the MIT License.

namespace LlmAdapters.Anthropic;

/// <summary>Options of an <see cref="AnthropicChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only in the <c>x-api-key</c> header and never logged or put in a message
/// (the exact key is masked in every exception, even when a server echoes it). A key with a line break, a control or a non-ASCII character is rejected by the client's constructor.</remarks>
public sealed class AnthropicChatClientOptions
{
    /// <summary>The endpoint used when <see cref="Endpoint"/> is not set: <c>https://api.anthropic.com</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.anthropic.com");

    /// <summary>The value of <see cref="Version"/> when not set.</summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary>The value of <see cref="DefaultMaxOutputTokens"/> when not set.</summary>
    public const int DefaultMaxOutputTokensValue = 4096;

    /// <summary>Gets or sets the base URL of the API, without the <c>/v1</c> segment; requests go to <c>{Endpoint}/v1/messages</c>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="DefaultEndpoint"/>.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key, sent as <c>x-api-key</c>. Left out of the request when empty (for proxies that add it).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model id, used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>: every request must then name its model.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the API version, sent as <c>anthropic-version</c>.</summary>
    /// <value>The default value is <c>2023-06-01</c> (<see cref="DefaultVersion"/>).</value>
    public string Version { get; set; } = DefaultVersion;

    /// <summary>Gets the beta features to enable, sent comma-separated as <c>anthropic-beta</c> (e.g. <c>files-api-2025-04-14</c>).</summary>
    /// <value>The default value is an empty list: no <c>anthropic-beta</c> header.</value>
    public IList<string> Betas { get; } = [];

    /// <summary>
    /// Gets or sets the <c>max_tokens</c> sent when <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/> is not set
    /// (the Messages API requires one). With extended thinking, the thinking budget is added to it.
    /// </summary>
    /// <value>The default value is 4096 (<see cref="DefaultMaxOutputTokensValue"/>).</value>
    public int DefaultMaxOutputTokens { get; set; } = DefaultMaxOutputTokensValue;

    /// <summary>
    /// Gets or sets whether a JSON-schema <see cref="Microsoft.Extensions.AI.ChatOptions.ResponseFormat"/> uses the API's native
    /// structured output (<c>output_config.format</c>) or a forced tool whose input is the answer.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: native, except for models known to lack it (Claude 3.x, Claude Sonnet 4, Claude Opus 4 and 4.1).</value>
    public bool? NativeStructuredOutput { get; set; }

    /// <summary>
    /// Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay
    /// silent (before its headers, or between two events). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets the largest response body, in bytes, read before failing with a <see cref="ChatProviderException"/>
    /// (a whole response, or a whole stream); <see langword="null"/> for no limit.
    /// </summary>
    /// <value>The default value is 32 MiB (<see cref="Native.NativeTransportOptions.DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = Native.NativeTransportOptions.DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock used for <see cref="Microsoft.Extensions.AI.ChatResponse.CreatedAt"/> and to read HTTP-date <c>Retry-After</c> headers.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
