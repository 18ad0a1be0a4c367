// Licensed under the MIT License.

namespace LlmAdapters.DashScope;

/// <summary>Options of a <see cref="DashScopeChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only as <c>Authorization: Bearer</c> and never logged or put in a message.</remarks>
public sealed class DashScopeChatClientOptions
{
    /// <summary>The international (Singapore) endpoint, used when <see cref="Endpoint"/> is not set: <c>https://dashscope-intl.aliyuncs.com</c>.</summary>
    public static readonly Uri InternationalEndpoint = new("https://dashscope-intl.aliyuncs.com");

    /// <summary>The mainland China (Beijing) endpoint: <c>https://dashscope.aliyuncs.com</c>. Keys are per region.</summary>
    public static readonly Uri MainlandEndpoint = new("https://dashscope.aliyuncs.com");

    /// <summary>Gets or sets the base URL, without <c>/api/v1</c>; requests go to <c>{Endpoint}/api/v1/services/aigc/…/generation</c>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="InternationalEndpoint"/>.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the API key (<c>DASHSCOPE_API_KEY</c>), sent as <c>Authorization: Bearer</c>.</summary>
    /// <value>The default value is <see langword="null"/>: no <c>Authorization</c> header (for a proxy that adds it).</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model (e.g. <c>qwen-plus</c>), used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>: every request must then name its model.</value>
    public string? Model { get; set; }

    /// <summary>Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay silent. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the largest response body, in bytes, read before failing; <see langword="null"/> for no limit.</summary>
    /// <value>The default value is 32 MiB (<see cref="Native.NativeTransportOptions.DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = Native.NativeTransportOptions.DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock used for <see cref="Microsoft.Extensions.AI.ChatResponse.CreatedAt"/> and the network timeout.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
