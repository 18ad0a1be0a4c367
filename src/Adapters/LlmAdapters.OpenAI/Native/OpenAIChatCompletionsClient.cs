// Licensed under the MIT License.

using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Native;

/// <summary>
/// The native <see cref="IChatClient"/> for OpenAI's Chat Completions dialect, on the Core native kit
/// (<see cref="NativeHttpTransport"/>, source-generated DTOs, events decoded from UTF-8 bytes): the <c>native</c>
/// implementation of every OpenAI-compatible preset, beside the <c>sdk</c> one (<c>OpenAICompatibleChatClient</c> (LlmAdapters.OpenAI.Sdk)).
/// </summary>
/// <remarks>
/// <para>Mapped natively: text, <c>reasoning_content</c> and <c>reasoning</c> as <see cref="TextReasoningContent"/> before the
/// text, refusals, tool calls (streamed ones yielded once, complete, with the finish reason), finish reasons, usage with
/// cached and reasoning tokens, <c>error</c> chunks after a 200, <see cref="ChatOptions.AdditionalProperties"/> without a dot as
/// top-level body fields, and <c>max_tokens</c> for servers that do not know <c>max_completion_tokens</c>
/// (<see cref="OpenAIChatCompletionsClientOptions.UseMaxTokens"/>). Not mapped: the Responses API, audio, and logprobs
/// (use the <c>sdk</c> implementation).</para>
/// <para>Thread safety: an instance is safe to use concurrently. Sensitive data: the API key is sent only in its header and
/// masked in every exception.</para>
/// </remarks>
public sealed class OpenAIChatCompletionsClient : IChatClient
{
    /// <summary>The wire dialect in the origin of provider-bound state (<see cref="ProviderState"/>), on both the native and the SDK path.</summary>
    internal const string ProviderStateDialect = "openai";

    private readonly NativeHttpTransport _transport;
    private readonly Uri _completionsUri;
    private readonly ChatClientMetadata _metadata;
    private readonly string _model;
    private readonly string _providerName;
    private readonly bool _useMaxTokens;
    private readonly string? _serviceTier;

    /// <summary>Initializes a new instance of the <see cref="OpenAIChatCompletionsClient"/> class.</summary>
    /// <param name="options">The options, read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed), or <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The model or provider name is empty, no endpoint is known, the endpoint is not an absolute http(s) URL,
    /// or the API key breaks <see cref="ApiKeyRules"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout or the response-size limit is not positive.</exception>
    public OpenAIChatCompletionsClient(OpenAIChatCompletionsClientOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var common = options.Common;
        ArgumentException.ThrowIfNullOrWhiteSpace(common.Model, "options.Model");
        ArgumentException.ThrowIfNullOrWhiteSpace(common.ProviderName, "options.ProviderName");
        var transport = new NativeTransportOptions { ProviderName = common.ProviderName, ApiKeyPrefix = "Bearer ", RefineError = RefineCutBody };
        var endpoint = common.ApplyTo(OpenAICompatibleProviders.Find(common.ProviderName)?.DefaultEndpoint, transport);
        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("The endpoint must be an absolute http or https URL.", "options.Endpoint");
        }
        if (!string.IsNullOrEmpty(common.Organization))
        {
            transport.Headers["OpenAI-Organization"] = common.Organization;
        }

        if (!string.IsNullOrEmpty(common.Project))
        {
            transport.Headers["OpenAI-Project"] = common.Project;
        }

        transport.StateOrigin = ProviderState.CreateOrigin(ProviderStateDialect, endpoint);
        _transport = new NativeHttpTransport(transport, httpClient);
        _completionsUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");
        _model = common.Model;
        _providerName = common.ProviderName;
        _useMaxTokens = options.UseMaxTokens;
        _serviceTier = options.ServiceTier;
        _metadata = new ChatClientMetadata(common.ProviderName, endpoint, common.Model);
    }

    /// <inheritdoc/>
    /// <exception cref="ChatProviderException">The provider refused the request, or answered something that is not a completion.</exception>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = ChatCompletionsRequestWriter.Write(ProviderState.ForTarget(messages, _transport.StateOrigin!, options), options, _model, stream: false, _useMaxTokens, _serviceTier);
        return _transport.GetResponseAsync(
            _completionsUri,
            body,
            ChatCompletionsJsonContext.Default.CompletionDto,
            completion => ChatCompletionsMapper.ToChatResponse(completion, _transport.TimeProvider.GetUtcNow()),
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ChatProviderException">The provider refused the request, failed midway (an <c>error</c> chunk, a broken
    /// connection, a malformed chunk) or closed the stream before <c>[DONE]</c>.</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetStreamingResponseAsync(_completionsUri, (Client: this, Messages: messages, Options: options), static state =>
        {
            ArgumentNullException.ThrowIfNull(state.Messages, nameof(messages));
            var client = state.Client;
            var body = ChatCompletionsRequestWriter.Write(ProviderState.ForTarget(state.Messages, client._transport.StateOrigin!, state.Options), state.Options, client._model, stream: true, client._useMaxTokens, client._serviceTier);
            return (body, (INativeStreamDecoder)new ChatCompletionsStreamDecoder(client._providerName, client._transport.TimeProvider));
        }, cancellationToken);

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) => NativeClientServices.Get(this, _metadata, serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    /// <summary>
    /// A 200 whose JSON body ends early (empty, or cut mid-object) is a cut connection, transient, as on the SDK path; JSON
    /// that is complete but not the dialect's stays <see cref="ChatProviderErrorKind.Unknown"/>. System.Text.Json says "end of
    /// data" / "isFinalBlock" / "end of the JSON payload" exactly when the reader ran out of bytes.
    /// </summary>
    private static ChatProviderException RefineCutBody(ChatProviderException exception, HttpResponseMessage? response) =>
        response is null ? exception : RefineCutJson(exception, response.StatusCode);

    /// <summary>The rule of <see cref="RefineCutBody"/> on an exception alone: also the SDK path's, for a streamed chunk cut mid-JSON.</summary>
    /// <param name="exception">The translated exception.</param>
    /// <param name="statusCode">The response's status.</param>
    /// <returns>An <see cref="NativeErrors.Incomplete"/> exception when the JSON ran out of bytes; otherwise <paramref name="exception"/>.</returns>
    internal static ChatProviderException RefineCutJson(ChatProviderException exception, System.Net.HttpStatusCode statusCode) =>
        exception is { Kind: ChatProviderErrorKind.Unknown, InnerException: System.Text.Json.JsonException json } &&
        (json.Message.Contains("end of data", StringComparison.Ordinal) ||
         json.Message.Contains("isFinalBlock is true", StringComparison.Ordinal) ||
         json.Message.Contains("end of the JSON payload", StringComparison.Ordinal))
            ? NativeErrors.Incomplete(exception.ProviderName, "the end of the JSON body", statusCode, json)
            : exception;
}
