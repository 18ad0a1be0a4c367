// Licensed under the MIT License.

using LlmAdapters.DashScope.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope;

/// <summary>
/// An <see cref="IChatClient"/> for the native DashScope (Alibaba Cloud Model Studio) generation API, for Qwen models:
/// <c>POST {endpoint}/api/v1/services/aigc/text-generation/generation</c>, or multimodal generation for vision models,
/// over the native adapter kit (<see cref="NativeHttpTransport"/>), with every failure thrown as a <see cref="ChatProviderException"/>.
/// </summary>
/// <remarks>
/// <para>Unlike the OpenAI-compatible mode (provider <c>dashscope</c>), it keeps <c>enable_thinking</c> and <c>thinking_budget</c>,
/// search (<c>AdditionalProperties["enable_search"]</c>), the multimodal models, the request id and DashScope's own error codes.
/// docs/providers.md ("DashScope native") maps every member.</para>
/// <para>Thread safety: an instance may be used by many calls at once.</para>
/// </remarks>
public sealed partial class DashScopeChatClient : IChatClient
{
    private readonly DashScopeChatClientOptions _options;
    private readonly NativeHttpTransport _transport;
    private readonly NativeHttpTransport _streamTransport;
    private readonly Uri _textUri;
    private readonly Uri _multimodalUri;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="DashScopeChatClient"/> class.</summary>
    /// <param name="options">The options, read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The endpoint is not absolute or is the compatible-mode one, or the API key holds a character a header cannot carry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout or the response-size limit is not positive.</exception>
    public DashScopeChatClient(DashScopeChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        // Streaming is a header (X-DashScope-SSE), not a body member: one transport each, over the same HttpClient.
        var transport = TransportOptions(stream: false);
        var streamTransport = TransportOptions(stream: true);
        var endpoint = options.ApplyTo(DashScopeChatClientOptions.InternationalEndpoint, transport);
        options.ApplyTo(endpoint, streamTransport);

        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        if (baseUri.EndsWith("/compatible-mode/v1", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The endpoint {endpoint} is DashScope's OpenAI-compatible mode: use the provider 'dashscope' for it, or set the endpoint without /compatible-mode/v1 (e.g. https://dashscope-intl.aliyuncs.com).",
                nameof(options));
        }

        if (baseUri.EndsWith("/api/v1", StringComparison.OrdinalIgnoreCase))
        {
            baseUri = baseUri[..^7];
        }

        _textUri = new Uri(baseUri + "/" + DashScopeConstants.TextGenerationPath);
        _multimodalUri = new Uri(baseUri + "/" + DashScopeConstants.MultimodalGenerationPath);

        _transport = new NativeHttpTransport(transport, httpClient);
        _streamTransport = new NativeHttpTransport(streamTransport, httpClient);
        _metadata = new ChatClientMetadata(DashScopeConstants.ProviderName, endpoint, options.Model);
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (body, plan) = DashScopeMapper.CreateRequest(messages, options, _options, stream: false);
        return _transport.GetResponseAsync(
            plan.Multimodal ? _multimodalUri : _textUri,
            body,
            DashScopeJsonContext.Default.GenerationResponse,
            response => DashScopeMapper.ToChatResponse(response, plan, _transport.TimeProvider.GetUtcNow()),
            cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => NativeClientServices.Get(this, _metadata, serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose()
    {
        _transport.Dispose();
        _streamTransport.Dispose();
    }

    private static NativeTransportOptions TransportOptions(bool stream)
    {
        var transport = new NativeTransportOptions { ProviderName = DashScopeConstants.ProviderName, ApiKeyPrefix = "Bearer ", RefineError = Refine };
        if (stream)
        {
            transport.Headers["X-DashScope-SSE"] = "enable";
        }

        return transport;
    }

    /// <summary>DashScope says a model does not exist with <c>InvalidParameter</c> ("Model not exist."): that is <see cref="ChatProviderErrorKind.ModelNotFound"/>.</summary>
    private static ChatProviderException Refine(ChatProviderException exception, HttpResponseMessage? response)
    {
        if (exception.Kind is ChatProviderErrorKind.ModelNotFound or ChatProviderErrorKind.Authentication ||
            exception.ProviderMessage is not { } message ||
            !(message.Contains("Model not exist", StringComparison.OrdinalIgnoreCase) || message.Contains("model not found", StringComparison.OrdinalIgnoreCase)))
        {
            return exception;
        }

        return exception.With(ChatProviderErrorKind.ModelNotFound, isTransient: false);
    }
}
