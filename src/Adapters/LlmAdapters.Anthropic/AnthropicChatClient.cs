// Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Text.Json;
using LlmAdapters.Anthropic.Internal;
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
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly Uri _messagesUri;
    private readonly string _version;
    private readonly string? _betas;
    private readonly string? _apiKey;
    private readonly ChatClientMetadata _metadata;
    private readonly TimeSpan _networkTimeout;

    /// <summary>Initializes a new instance of the <see cref="AnthropicChatClient"/> class.</summary>
    /// <param name="options">The options. The endpoint, key, version and betas are read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="AnthropicChatClientOptions.Version"/> is empty, or <see cref="AnthropicChatClientOptions.Endpoint"/> is not absolute.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="AnthropicChatClientOptions.DefaultMaxOutputTokens"/> is not positive.</exception>
    public AnthropicChatClient(AnthropicChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Version, "options.Version");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.DefaultMaxOutputTokens, "options.DefaultMaxOutputTokens");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        if (options.NetworkTimeout <= TimeSpan.Zero && options.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException("options.NetworkTimeout", options.NetworkTimeout, "The network timeout must be positive or infinite.");
        }
        var endpoint = options.Endpoint ?? AnthropicChatClientOptions.DefaultEndpoint;
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("The endpoint must be an absolute URI.", nameof(options));
        }

        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        if (baseUri.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            baseUri = baseUri[..^3];
        }

        _messagesUri = new Uri(baseUri + "/" + AnthropicConstants.MessagesPath);
        _version = options.Version;
        _betas = options.Betas.Count > 0 ? string.Join(",", options.Betas) : null;
        _apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey;
        _ownsHttpClient = httpClient is null;
        // Our own client waits as long as NetworkTimeout allows (HttpClient's 100 s default would cut long thinking turns).
        _httpClient = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _metadata = new ChatClientMetadata(AnthropicConstants.ProviderName, endpoint, options.Model);
        _networkTimeout = options.NetworkTimeout;
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (body, plan) = AnthropicMapper.CreateRequest(this, messages, options, _options, stream: false);
        using var request = CreateHttpRequest(body, stream: false);
        using var timeout = StartNetworkTimeout();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var response = await SendAsync(request, linked.Token, cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var message = await JsonSerializer.DeserializeAsync(stream, AnthropicJsonContext.Default.MessageResponse, linked.Token).ConfigureAwait(false)
                    ?? throw new JsonException("The response body is empty.");
                return AnthropicMapper.ToChatResponse(message, plan, _options.TimeProvider.GetUtcNow());
            }
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw Refine(translated, response);
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private static ChatProviderException? Translate(Exception exception, CancellationToken cancellationToken) =>
        ChatProviderErrors.FromException(AnthropicConstants.ProviderName, exception, cancellationToken);

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

        var requestId = exception.RequestId ?? (response is null ? null : RetryAfterParser.GetHeader(response, "request-id"));
        if (kind == exception.Kind && transient == exception.IsTransient && requestId == exception.RequestId)
        {
            return exception;
        }

        return new ChatProviderException(kind, exception.ProviderName, exception.ProviderMessage, exception.StatusCode, exception.InnerException)
        {
            ErrorType = exception.ErrorType,
            ErrorCode = exception.ErrorCode,
            RequestId = requestId,
            RetryAfter = exception.RetryAfter,
            IsTransient = transient,
            RawBody = exception.RawBody,
        };
    }

    private HttpRequestMessage CreateHttpRequest(byte[] body, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _messagesUri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        if (_apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", _version);
        if (_betas is not null)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", _betas);
        }

        return request;
    }

    /// <summary>Starts the network timeout: a source cancelled by <see cref="AnthropicChatClientOptions.TimeProvider"/>'s clock.</summary>
    private CancellationTokenSource StartNetworkTimeout() => new(_networkTimeout, _options.TimeProvider);

    /// <summary>Sends a request and returns a successful response (headers read), or throws the taxonomy exception.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">The caller's token linked with the network timeout.</param>
    /// <param name="callerToken">The caller's own token: its cancellation flows as <see cref="OperationCanceledException"/>, the timeout's as <see cref="ChatProviderErrorKind.Timeout"/>.</param>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, callerToken) is { } translated)
        {
            throw translated;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await ChatProviderErrors.FromResponseAsync(AnthropicConstants.ProviderName, response, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            throw Refine(error, response);
        }
    }
}
