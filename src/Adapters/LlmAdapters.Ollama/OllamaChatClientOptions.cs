// Licensed under the MIT License.

namespace LlmAdapters.Ollama;

/// <summary>Options of an <see cref="OllamaChatClient"/>.</summary>
/// <remarks>Sensitive data: <see cref="Native.NativeChatClientOptions.ApiKey"/> is a credential; it is sent only as <c>Authorization: Bearer</c> and never logged or put in a message.</remarks>
public sealed class OllamaChatClientOptions : Native.NativeChatClientOptions
{
    /// <summary>The endpoint used when <see cref="Native.NativeChatClientOptions.Endpoint"/> is not set: <c>http://localhost:11434</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:11434");

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
}
