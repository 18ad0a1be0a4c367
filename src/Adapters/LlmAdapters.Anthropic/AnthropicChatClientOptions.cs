// Licensed under the MIT License.

namespace LlmAdapters.Anthropic;

/// <summary>Options of an <see cref="AnthropicChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="Native.NativeChatClientOptions.ApiKey"/> is a credential; it is sent only in the <c>x-api-key</c> header and never logged or put in a message
/// (the exact key is masked in every exception, even when a server echoes it). A key with a line break, a control or a non-ASCII character is rejected by the client's constructor.</remarks>
public sealed class AnthropicChatClientOptions : Native.NativeChatClientOptions
{
    /// <summary>The endpoint used when <see cref="Native.NativeChatClientOptions.Endpoint"/> is not set: <c>https://api.anthropic.com</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.anthropic.com");

    /// <summary>The value of <see cref="Version"/> when not set.</summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary>The value of <see cref="DefaultMaxOutputTokens"/> when not set.</summary>
    public const int DefaultMaxOutputTokensValue = 4096;

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
}
