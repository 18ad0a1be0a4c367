// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using LlmAdapters.OpenAI.Internal;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI;

/// <summary>
/// An <see cref="IChatClient"/> for OpenAI's Chat Completions API and every server that speaks it (vLLM, DashScope
/// compatible mode, Ollama, Groq, Together, LM Studio, DeepSeek…), built on Microsoft.Extensions.AI.OpenAI, with the
/// OpenAI SDK's own retries switched off (the retry middleware owns retries) and every failure translated into a
/// <see cref="ChatProviderException"/>.
/// </summary>
/// <remarks>
/// <para>Beyond Microsoft.Extensions.AI.OpenAI: vLLM's <c>reasoning</c> field becomes <see cref="TextReasoningContent"/>
/// like <c>reasoning_content</c>; a stream that ends without a finish reason, or that carries an <c>error</c> chunk, throws;
/// <see cref="ChatOptions.AdditionalProperties"/> whose names have no dot are sent as top-level body fields
/// (DashScope <c>enable_thinking</c>, vLLM <c>top_k</c>).</para>
/// <para>Thread safety: an instance is safe to use concurrently.</para>
/// </remarks>
public sealed partial class OpenAICompatibleChatClient : IChatClient
{
    private const string OpenAIApiTypeTag = "openai.api.type";

    private readonly IChatClient _inner;
    private readonly ChatClientMetadata _metadata;
    private readonly global::OpenAI.Chat.ChatClient _sdkClient;
    private readonly string _providerName;
    private readonly string? _apiKey;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatClient"/> class.</summary>
    /// <param name="options">The options. Their values are read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (from <c>IHttpClientFactory</c>), or <see langword="null"/> for the SDK's own.
    /// The caller keeps ownership of it; its <see cref="HttpClient.Timeout"/> should be <see cref="Timeout.InfiniteTimeSpan"/> so that
    /// <see cref="LlmAdapters.Native.NativeChatClientOptions.NetworkTimeout"/> and the timeout middleware decide.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its <see cref="LlmAdapters.Native.NativeChatClientOptions.TimeProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="LlmAdapters.Native.NativeChatClientOptions.Model"/> or <see cref="OpenAICompatibleChatClientOptions.ProviderName"/> is empty;
    /// no endpoint is configured for a provider without a default one; the endpoint is not an absolute http(s) URL.</exception>
    /// <exception cref="ArgumentException"><see cref="LlmAdapters.Native.NativeChatClientOptions.ApiKey"/> breaks <see cref="ApiKeyRules"/> (the message does not quote it).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LlmAdapters.Native.NativeChatClientOptions.NetworkTimeout"/> or <see cref="LlmAdapters.Native.NativeChatClientOptions.MaxResponseBytes"/> is not positive.</exception>
    public OpenAICompatibleChatClient(OpenAICompatibleChatClientOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, "options.Model");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ProviderName, "options.ProviderName");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        if (options.NetworkTimeout <= TimeSpan.Zero && options.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException("options.NetworkTimeout", options.NetworkTimeout, "The network timeout must be positive.");
        }

        if (options.MaxResponseBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException("options.MaxResponseBytes", options.MaxResponseBytes, "The response size limit must be positive.");
        }

        // Before anything can carry the key: a CR/LF would inject headers, a non-ASCII letter would fail every request as an "outage".
        ApiKeyRules.Validate(options.ApiKey, "options.ApiKey");

        var endpoint = options.Endpoint ?? OpenAICompatibleProviders.Find(options.ProviderName)?.DefaultEndpoint
            ?? throw new ArgumentException(
                string.Equals(options.ProviderName, "ollama", StringComparison.OrdinalIgnoreCase)
                    ? "The OpenAI-compatible preset 'ollama' is now named 'ollama-openai' (http://localhost:11434/v1); 'ollama' is Ollama's native API (OllamaChatClient). Use ProviderName 'ollama-openai', or set the endpoint."
                    : $"An endpoint must be configured for provider '{options.ProviderName}'.",
                "options.Endpoint");
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The endpoint must be an absolute http or https URL.", "options.Endpoint");
        }

        _providerName = options.ProviderName;
        _apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey;
        _timeProvider = options.TimeProvider;

        var clientOptions = new global::OpenAI.OpenAIClientOptions
        {
            Endpoint = endpoint,
            OrganizationId = options.Organization,
            ProjectId = options.Project,
            NetworkTimeout = options.NetworkTimeout,

            // Our retry middleware owns retries: a second retry loop inside the SDK would multiply attempts.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (httpClient is not null)
        {
            clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        }

        clientOptions.AddPolicy(new ResponseGuardPolicy(_providerName, _apiKey, options.MaxResponseBytes, options.NetworkTimeout), PipelinePosition.BeforeTransport);
        if (_apiKey is null)
        {
            // Local servers take no key; the SDK requires one, so the placeholder's header is removed before sending.
            clientOptions.AddPolicy(RemoveAuthorizationPolicy.Instance, PipelinePosition.BeforeTransport);
        }

        _sdkClient = new global::OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(_apiKey ?? "no-key"), clientOptions);
        _inner = _sdkClient.AsIChatClient();
        _metadata = new ChatClientMetadata(_providerName, endpoint, options.Model);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        ChatResponse response;
        try
        {
            ForgetPreviousAttemptTags();
            response = await _inner.GetResponseAsync(messages, ExtraBodyFields.Apply(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Not an exception filter: translating reads headers and bodies, and code that can throw must not run in a filter.
            if (Translate(ex, cancellationToken) is not { } translated)
            {
                throw;
            }

            throw translated;
        }

        ReasoningFields.AddReasoning(response);
        return response;
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

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(_sdkClient) ? _sdkClient : _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();

    /// <summary>
    /// M.E.AI's OpenAI client adds <c>openai.api.type</c> to the current span on every call (<c>AddTag</c>); a retry
    /// below the <c>chat</c> span would add it once per attempt. Removing the previous attempt's first keeps it once.
    /// </summary>
    private static void ForgetPreviousAttemptTags() => Activity.Current?.SetTag(OpenAIApiTypeTag, null);
}
