// Licensed under the MIT License.

using System.Text.RegularExpressions;
using LlmAdapters.Native;
using LlmAdapters.Ollama.Internal;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama;

/// <summary>
/// An <see cref="IChatClient"/> for Ollama's native chat API (<c>POST {endpoint}/api/chat</c>, NDJSON streaming), over the
/// native adapter kit (<see cref="NativeHttpTransport"/>), with every failure thrown as a <see cref="ChatProviderException"/>.
/// </summary>
/// <remarks>
/// <para>Unlike the OpenAI-compatible <c>/v1</c> API it keeps <c>think</c>, <c>keep_alive</c>, <c>num_ctx</c>, the load
/// and eval durations, the server's tool-call ids and mid-stream errors. docs/providers.md ("Ollama") maps every member.</para>
/// <para>A message with tool calls finishes with <see cref="ChatFinishReason.ToolCalls"/> (the server says <c>stop</c>);
/// a call the server sent without an id gets one, distinct per call, which is never sent back; arguments that are missing
/// or null are an empty set; an <c>{"error": …}</c> line in a stream throws.</para>
/// <para>Thread safety: an instance may be used by many calls at once.</para>
/// </remarks>
public sealed partial class OllamaChatClient : IChatClient
{
    /// <summary>The <c>AdditionalProperties</c> keys of the durations on a response (and on the last streamed update), as <see cref="TimeSpan"/>s.</summary>
    public static readonly IReadOnlyList<string> DurationPropertyNames =
        [OllamaConstants.TotalDuration, OllamaConstants.LoadDuration, OllamaConstants.PromptEvalDuration, OllamaConstants.EvalDuration];

    private readonly OllamaChatClientOptions _options;
    private readonly NativeHttpTransport _transport;
    private readonly Uri _endpoint;
    private readonly Uri _chatUri;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="OllamaChatClient"/> class.</summary>
    /// <param name="options">The options, read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The endpoint is not absolute, or is Ollama's OpenAI-compatible <c>/v1</c> address, or the API key holds a character a header cannot carry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout or the response-size limit is not positive.</exception>
    public OllamaChatClient(OllamaChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var transport = new NativeTransportOptions { ProviderName = OllamaConstants.ProviderName, ApiKeyPrefix = "Bearer ", RefineError = Refine };
        _endpoint = options.ApplyTo(OllamaChatClientOptions.DefaultEndpoint, transport);

        var baseUri = _endpoint.AbsoluteUri.TrimEnd('/');
        if (baseUri.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The endpoint {_endpoint} is Ollama's OpenAI-compatible API (/v1). The 'ollama' provider now speaks Ollama's native API: " +
                "set the endpoint without /v1 (e.g. http://localhost:11434), or use the provider 'ollama-openai' to keep the OpenAI-compatible API.",
                nameof(options));
        }

        if (baseUri.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            baseUri = baseUri[..^4];
        }

        _chatUri = new Uri(baseUri + "/" + OllamaConstants.ChatPath);
        _transport = new NativeHttpTransport(transport, httpClient);
        _metadata = new ChatClientMetadata(OllamaConstants.ProviderName, _endpoint, options.Model);
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = OllamaMapper.CreateRequest(messages, options, _options, stream: false);
        return _transport.GetResponseAsync(
            _chatUri,
            body,
            OllamaJsonContext.Default.OllamaChatResponse,
            response => OllamaMapper.ToChatResponse(response, _transport.TimeProvider.GetUtcNow()),
            cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => NativeClientServices.Get(this, _metadata, serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    /// <summary>
    /// Says what to do where Ollama's errors are terse: a model that is not pulled names <c>ollama pull</c>, and a refused
    /// connection says Ollama does not seem to be running at the endpoint.
    /// </summary>
    private ChatProviderException Refine(ChatProviderException exception, HttpResponseMessage? response)
    {
        if (exception.Kind == ChatProviderErrorKind.ModelNotFound)
        {
            var model = exception.ProviderMessage is { } text && ModelNotFoundPattern().Match(text) is { Success: true } match ? match.Groups[1].Value : "<model>";
            return exception.With(providerMessage: exception.ProviderMessage + $" (run `ollama pull {model}` on the server to download it)");
        }

        if (response is null && exception.Kind == ChatProviderErrorKind.Unavailable && IsConnectionRefused(exception.InnerException))
        {
            return exception.With(providerMessage: $"Ollama does not seem to be running at {_endpoint} (the connection was refused). Start it with `ollama serve`, or set the endpoint.");
        }

        return exception;
    }

    private static bool IsConnectionRefused(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"model '([^']+)' not found")]
    private static partial Regex ModelNotFoundPattern();
}
