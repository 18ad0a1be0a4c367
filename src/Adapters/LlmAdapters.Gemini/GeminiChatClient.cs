// Licensed under the MIT License.

using LlmAdapters.Gemini.Internal;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini;

/// <summary>
/// An <see cref="IChatClient"/> for the Google Gemini API (<c>POST {endpoint}/{version}/models/{model}:generateContent</c>, and
/// <c>:streamGenerateContent?alt=sse</c>), written over <see cref="HttpClient"/> and System.Text.Json source generation on the
/// native kit of LlmAdapters.Core, with every failure thrown as a <see cref="ChatProviderException"/>.
/// </summary>
/// <remarks>
/// <para>docs/providers.md (section "Gemini") maps every <see cref="ChatOptions"/> member and content type to the wire format.</para>
/// <para>Thought signatures: a function call's signature is kept in its <c>AdditionalProperties</c> under
/// <see cref="ThoughtSignaturePropertyName"/>, a text part's as an empty <see cref="TextReasoningContent"/> whose
/// <see cref="TextReasoningContent.ProtectedData"/> is the signature; both go back on the next request, as Gemini 3 requires.</para>
/// <para>Thread safety: an instance may be used by many calls at once. Sensitive data: the API key is sent only in the
/// <c>x-goog-api-key</c> header, never in the URL; it is never logged nor put in an exception message, even when Google echoes it.</para>
/// </remarks>
public sealed partial class GeminiChatClient : IChatClient
{
    /// <summary>The <c>AdditionalProperties</c> key of a function call's <c>thoughtSignature</c>.</summary>
    public const string ThoughtSignaturePropertyName = "gemini.thought_signature";

    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key of the request's <c>safetySettings</c> (a JSON array, as a <see cref="System.Text.Json.JsonElement"/>, a JSON node or a string).</summary>
    public const string SafetySettingsPropertyName = "safetySettings";

    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key of the call's <c>service_tier</c> (<c>flex</c>, <c>priority</c>,
    /// <c>standard</c>), sent instead of <see cref="GeminiChatClientOptions.ServiceTier"/>; the response carries the tier sent under
    /// the same key (Gemini reports a downgrade only in the <c>x-gemini-service-tier</c> header, which is not read yet).
    /// </summary>
    public const string ServiceTierPropertyName = "service_tier";

    private readonly GeminiChatClientOptions _options;
    private readonly NativeHttpTransport _transport;
    private readonly string _modelsBase;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="GeminiChatClient"/> class.</summary>
    /// <param name="options">The options, read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by this client), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The endpoint is not absolute, the API version is empty, or the API key holds a character an HTTP header cannot carry (the message never shows the key).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout or the response-size limit is not positive.</exception>
    public GeminiChatClient(GeminiChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiVersion, "options.ApiVersion");
        var transport = new NativeTransportOptions { ProviderName = GeminiConstants.ProviderName, ApiKeyHeaderName = "x-goog-api-key", RefineError = GeminiErrors.Refine };
        var endpoint = options.ApplyTo(GeminiChatClientOptions.DefaultEndpoint, transport);

        _modelsBase = ModelsBase(endpoint, options.ApiVersion) + "/";
        transport.StateOrigin = ProviderState.CreateOrigin(GeminiConstants.ProviderName, endpoint);
        _transport = new NativeHttpTransport(transport, httpClient);
        _metadata = new ChatClientMetadata(GeminiConstants.MetadataProviderName, endpoint, options.Model);
    }

    /// <summary>Gets the models path of an API version at an endpoint (<c>{endpoint}/{version}/models</c>; an endpoint that already ends in the version keeps it once), shared by the client and its health probe.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="apiVersion">The API version, e.g. <c>v1beta</c> or <c>v1</c>.</param>
    /// <returns>The path, without a trailing slash.</returns>
    internal static string ModelsBase(Uri endpoint, string apiVersion)
    {
        var version = apiVersion.Trim().Trim('/');
        var baseUri = endpoint.AbsoluteUri.TrimEnd('/');
        if (baseUri.EndsWith("/" + version, StringComparison.OrdinalIgnoreCase))
        {
            baseUri = baseUri[..^(version.Length + 1)];
        }

        return baseUri + "/" + version + "/models";
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ((model, body), tier) = GeminiMapper.CreateRequest(this, ForTarget(messages, options), options, _options.Model, _options.ServiceTier);
        return _transport.GetResponseAsync(
            ModelUri(model, ":generateContent"),
            body,
            GeminiJsonContext.Default.GenerateContentResponse,
            response => GeminiMapper.WithServiceTier(GeminiMapper.ToChatResponse(response, _transport.TimeProvider.GetUtcNow()), tier),
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Parts are yielded as their chunks arrive; a function call is yielded complete; the update with the finish reason carries
    /// exactly one <see cref="UsageContent"/>, the last chunk's (cumulative) usage. A stream that ends before a finish reason, an
    /// error chunk, or a blocked prompt throws a <see cref="ChatProviderException"/>. Cancelling the token, or disposing of the
    /// enumerator, releases the connection.
    /// </remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ((model, body), tier) = GeminiMapper.CreateRequest(this, ForTarget(messages, options), options, _options.Model, _options.ServiceTier);
        return _transport.GetStreamingResponseAsync(
            ModelUri(model, ":streamGenerateContent?alt=sse"),
            (Body: body, Clock: _options.TimeProvider, Tier: tier),
            static state => (state.Body, new GeminiStreamDecoder(state.Clock) { ServiceTier = state.Tier }),
            cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => NativeClientServices.Get(this, _metadata, serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    /// <summary>The conversation as this endpoint may take it: another origin's state left out, its calls in the current turn given the documented signature on Gemini 3.</summary>
    private IEnumerable<ChatMessage> ForTarget(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var origin = _transport.StateOrigin!;
        return GeminiThoughtSignatures.ForCurrentTurn(ProviderState.ForTarget(messages, origin, options), options?.ModelId ?? _options.Model, origin);
    }

    private Uri ModelUri(string model, string method)
    {
        // "models/gemini-2.5-flash" (as ListModels names them) and "gemini-2.5-flash" both work.
        var id = model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
        return new Uri(_modelsBase + Uri.EscapeDataString(id) + method);
    }
}
