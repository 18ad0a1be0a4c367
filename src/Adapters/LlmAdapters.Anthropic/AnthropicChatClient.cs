// Licensed under the MIT License.

using LlmAdapters.Anthropic.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic;

/// <summary>
/// An <see cref="IChatClient"/> for the Anthropic Messages API (<c>POST {endpoint}/v1/messages</c>), written over
/// <see cref="HttpClient"/> and System.Text.Json source generation, with every failure thrown as a <see cref="ChatProviderException"/>.
/// </summary>
/// <remarks>
/// <para>docs/providers.md (section "Anthropic") maps every <see cref="ChatOptions"/> member and content type to the wire format.</para>
/// <para>Prompt caching: set <see cref="CacheControlPropertyName"/> in the <c>AdditionalProperties</c> of a message, a content or a tool
/// to <c>"ephemeral"</c>, <c>"5m"</c>, <c>"1h"</c>, <see langword="true"/> or a JSON object; on a message it marks the message's last block.</para>
/// <para>Thread safety: an instance may be used by many calls at once. Sensitive data: the API key is sent only in the
/// <c>x-api-key</c> header; it is never logged nor put in an exception message.</para>
/// </remarks>
public sealed partial class AnthropicChatClient : IChatClient
{
    /// <summary>
    /// The <c>AdditionalProperties</c> key that sets a prompt-caching breakpoint (<c>cache_control</c>) on a message
    /// (its last block), a content block or a tool.
    /// </summary>
    public const string CacheControlPropertyName = "cache_control";

    /// <summary>
    /// The <c>AdditionalProperties</c> key that marks a <see cref="TextReasoningContent"/> as an Anthropic <c>redacted_thinking</c>
    /// block (its encrypted data in <see cref="TextReasoningContent.ProtectedData"/>), so that it goes back to the API untouched.
    /// </summary>
    public const string RedactedThinkingPropertyName = "anthropic.redacted_thinking";

    private readonly AnthropicChatClientOptions _options;
    private readonly NativeHttpTransport _transport;
    private readonly Uri _messagesUri;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="AnthropicChatClient"/> class.</summary>
    /// <param name="options">The options. The endpoint, key, version and betas are read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="AnthropicChatClientOptions.Version"/> is empty, <see cref="NativeChatClientOptions.Endpoint"/> is not absolute,
    /// or <see cref="NativeChatClientOptions.ApiKey"/> holds a character an HTTP header cannot carry (the message never shows the key).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AnthropicChatClientOptions.DefaultMaxOutputTokens"/>, <see cref="NativeChatClientOptions.NetworkTimeout"/> or <see cref="NativeChatClientOptions.MaxResponseBytes"/> is not positive.</exception>
    public AnthropicChatClient(AnthropicChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Version, "options.Version");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.DefaultMaxOutputTokens, "options.DefaultMaxOutputTokens");
        var transport = new NativeTransportOptions { ProviderName = AnthropicConstants.ProviderName, ApiKeyHeaderName = "x-api-key", RefineError = Refine };
        var endpoint = options.ApplyTo(AnthropicChatClientOptions.DefaultEndpoint, transport);
        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        if (baseUri.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            baseUri = baseUri[..^3];
        }

        _messagesUri = new Uri(baseUri + "/" + AnthropicConstants.MessagesPath);
        transport.Headers["anthropic-version"] = options.Version;
        if (options.Betas.Count > 0)
        {
            transport.Headers["anthropic-beta"] = string.Join(",", options.Betas);
        }

        // Our own client waits as long as NetworkTimeout allows (HttpClient's 100 s default would cut long thinking turns).
        _transport = new NativeHttpTransport(transport, httpClient);
        _metadata = new ChatClientMetadata(AnthropicConstants.ProviderName, endpoint, options.Model);
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (body, plan) = AnthropicMapper.CreateRequest(this, messages, options, _options, stream: false);
        return _transport.GetResponseAsync(
            _messagesUri,
            body,
            AnthropicJsonContext.Default.MessageResponse,
            message => AnthropicMapper.ToChatResponse(message, plan, _transport.TimeProvider.GetUtcNow()),
            cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => NativeClientServices.Get(this, _metadata, serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    /// <summary>Refines the taxonomy where Anthropic's error types say more than the shared rules, and keeps the request id header.</summary>
    private static ChatProviderException Refine(ChatProviderException exception, HttpResponseMessage? response)
    {
        var kind = exception.Kind;
        var transient = exception.IsTransient;
        switch (exception.ErrorType)
        {
            case "billing_error":
                // A payment problem: the key is valid but may not be used; waiting does not help.
                kind = ChatProviderErrorKind.PermissionDenied;
                transient = false;
                break;
            case "overloaded_error":
                kind = ChatProviderErrorKind.Overloaded;
                transient = true;
                break;
            case "request_too_large":
                kind = ChatProviderErrorKind.InvalidRequest;
                transient = false;
                break;
        }

        var requestId = exception.RequestId ?? (response is null ? null : (response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null));
        if (kind == exception.Kind && transient == exception.IsTransient && requestId == exception.RequestId)
        {
            return exception;
        }

        return exception.With(kind, transient, requestId: requestId);
    }
}
