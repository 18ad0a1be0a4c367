// Licensed under the MIT License.

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI;

/// <summary>
/// An <see cref="IChatClient"/> for OpenAI's Chat Completions API and every server that speaks it, built on
/// Microsoft.Extensions.AI.OpenAI, with the OpenAI SDK's own retries switched off (the retry middleware owns retries)
/// and every failure translated into a <see cref="ChatProviderException"/>.
/// </summary>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private static readonly Uri s_openAIEndpoint = new("https://api.openai.com/v1");

    private readonly IChatClient _inner;
    private readonly OpenAICompatibleChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private readonly global::OpenAI.Chat.ChatClient _sdkClient;

    /// <summary>Initializes a new instance of the <see cref="OpenAICompatibleChatClient"/> class.</summary>
    /// <param name="options">The options.</param>
    /// <param name="httpClient">The HTTP client to send requests with, or <see langword="null"/> for the SDK's own.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="OpenAICompatibleChatClientOptions.Model"/> or <see cref="OpenAICompatibleChatClientOptions.ProviderName"/> is empty.</exception>
    public OpenAICompatibleChatClient(OpenAICompatibleChatClientOptions options, HttpClient? httpClient = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, "options.Model");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ProviderName, "options.ProviderName");

        var endpoint = options.Endpoint ?? s_openAIEndpoint;
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

        // Local servers take no key; the SDK requires one, so a placeholder is sent that such servers ignore.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "no-key" : options.ApiKey);
        _sdkClient = new global::OpenAI.Chat.ChatClient(options.Model, credential, clientOptions);
        _inner = _sdkClient.AsIChatClient();
        _metadata = new ChatClientMetadata(options.ProviderName, endpoint, options.Model);
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = _inner.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                yield return update;
            }
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

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(_sdkClient) ? _sdkClient : _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    public void Dispose() => _inner.Dispose();

    private ChatProviderException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ClientResultException { Status: > 0 } clientResult)
        {
            var response = clientResult.GetRawResponse();
            string? body = null;
            try
            {
                body = response?.Content?.ToString();
            }
            catch (InvalidOperationException)
            {
                // The body of a streamed response was not buffered.
            }

            return ChatProviderErrors.FromStatus(
                _options.ProviderName,
                clientResult.Status,
                body,
                name => response is not null && response.Headers.TryGetValue(name, out var value) ? value : null,
                _options.TimeProvider);
        }

        if (exception is ClientResultException)
        {
            return ChatProviderErrors.FromException(_options.ProviderName, exception.InnerException ?? exception, cancellationToken)
                ?? new ChatProviderException(ChatProviderErrorKind.Unavailable, _options.ProviderName, exception.Message, null, exception.InnerException);
        }

        return ChatProviderErrors.FromException(_options.ProviderName, exception, cancellationToken);
    }
}
