// Licensed under the MIT License.

namespace LlmAdapters.Ollama;

/// <summary>Options of an <see cref="OllamaChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="ApiKey"/> is a credential; it is sent only as <c>Authorization: Bearer</c> and never logged or put in a message.</remarks>
public sealed class OllamaChatClientOptions
{
    /// <summary>The endpoint used when <see cref="Endpoint"/> is not set: <c>http://localhost:11434</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:11434");

    /// <summary>Gets or sets the base URL of the server, without <c>/api</c>; requests go to <c>{Endpoint}/api/chat</c>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="DefaultEndpoint"/>.</value>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets an API key, sent as <c>Authorization: Bearer</c>. A local Ollama needs none; a proxy in front of it, or
    /// Ollama's hosted API, does.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no <c>Authorization</c> header.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model (e.g. <c>llama3.2</c>), used when <see cref="Microsoft.Extensions.AI.ChatOptions.ModelId"/> is not set.</summary>
    /// <value>The default value is <see langword="null"/>: every request must then name its model.</value>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets <c>keep_alive</c>: how long the server keeps the model loaded after the request (<c>5m</c>, <c>1h</c>,
    /// <c>0</c> to unload at once, <c>-1</c> to keep it). <c>AdditionalProperties["keep_alive"]</c> overrides it per request.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: not sent (the server's default, 5 minutes).</value>
    public string? KeepAlive { get; set; }

    /// <summary>
    /// Gets or sets <c>options.num_ctx</c>, the context window the model is loaded with. <c>AdditionalProperties["num_ctx"]</c>
    /// overrides it per request.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: not sent (the model's default).</value>
    public int? ContextLength { get; set; }

    /// <summary>
    /// Gets or sets the network timeout: the longest a non-streamed exchange may take, and the longest a stream may stay
    /// silent (before its first line, which includes loading the model, or between two lines). <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the largest response body, in bytes, read before failing; <see langword="null"/> for no limit.</summary>
    /// <value>The default value is 32 MiB (<see cref="Native.NativeTransportOptions.DefaultMaxResponseBytes"/>).</value>
    public long? MaxResponseBytes { get; set; } = Native.NativeTransportOptions.DefaultMaxResponseBytes;

    /// <summary>Gets or sets the clock used for <see cref="Microsoft.Extensions.AI.ChatResponse.CreatedAt"/> when the server sends none, and for the network timeout.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
