// Licensed under the MIT License.

using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// The HTTP plumbing every native adapter shares: sends a JSON request through the caller's <see cref="HttpClient"/> with the
/// credential header, bounds it by the network timeout linked to the caller's token, turns every failure into a redacted
/// <see cref="ChatProviderException"/>, reads a response DTO and checks it is the dialect's shape, reads server-sent events or
/// NDJSON straight from UTF-8 bytes, fails a stream that ends before its terminal event, caps the response size, and
/// releases the connection when the caller cancels or stops enumerating.
/// </summary>
/// <remarks>
/// <para>What stays in an adapter is its mapping: request DTOs, response mapping, its <see cref="INativeStreamDecoder"/>, and
/// its error refinement (<see cref="NativeTransportOptions.RefineError"/>). docs/architecture.md ("Adding a native provider") walks through it.</para>
/// <para>Thread safety: an instance may be used by many calls at once. Sensitive data: the API key is sent only in its header
/// and masked, exactly and by shape, in every exception thrown.</para>
/// </remarks>
public sealed class NativeHttpTransport : IDisposable
{
    /// <summary>The largest first buffer a Content-Length may ask for (64 KiB); a larger body grows it as it arrives.</summary>
    private const int MaxInitialBuffer = 64 * 1024;

    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly string _providerName;
    private readonly string? _apiKey;
    private readonly string? _apiKeyHeaderValue;
    private readonly string _apiKeyHeaderName;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly TimeSpan _networkTimeout;
    private readonly long? _maxResponseBytes;
    private readonly Func<ChatProviderException, HttpResponseMessage?, ChatProviderException>? _refine;
    private readonly string? _stateOrigin;

    /// <summary>Initializes a new instance of the <see cref="NativeHttpTransport"/> class.</summary>
    /// <param name="options">The options, read once, here.</param>
    /// <param name="httpClient">The HTTP client to send requests with (not disposed by the transport), or <see langword="null"/> for one of its own without a client-side timeout (the network timeout bounds each exchange).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or its clock is null.</exception>
    /// <exception cref="ArgumentException">The provider name is empty, or the API key holds a character a header cannot carry.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network timeout is neither positive nor infinite, or the response-size limit is not positive.</exception>
    public NativeHttpTransport(NativeTransportOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ProviderName, "options.ProviderName");
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ApiKeyHeaderName, "options.ApiKeyHeaderName");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        if (options.NetworkTimeout <= TimeSpan.Zero && options.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException("options.NetworkTimeout", options.NetworkTimeout, "The network timeout must be positive or infinite.");
        }

        if (options.MaxResponseBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException("options.MaxResponseBytes", options.MaxResponseBytes, "The response-size limit must be positive, or null for none.");
        }

        ApiKeyRules.Validate(options.ApiKey, "options.ApiKey");
        _providerName = options.ProviderName;
        _apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey;
        _apiKeyHeaderName = options.ApiKeyHeaderName;
        _apiKeyHeaderValue = _apiKey is null ? null : options.ApiKeyPrefix + _apiKey;
        _headers = [.. options.Headers];
        _networkTimeout = options.NetworkTimeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _refine = options.RefineError;
        _stateOrigin = options.StateOrigin;
        TimeProvider = options.TimeProvider;
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Gets the origin responses are marked with (<see cref="NativeTransportOptions.StateOrigin"/>), or <see langword="null"/>.</summary>
    public string? StateOrigin => _stateOrigin;

    /// <summary>Gets the clock of the transport (for <see cref="ChatResponse.CreatedAt"/>).</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Serializes a request DTO with its source-generated contract.</summary>
    /// <typeparam name="T">The DTO type.</typeparam>
    /// <param name="value">The DTO.</param>
    /// <param name="typeInfo">Its contract.</param>
    /// <returns>The UTF-8 JSON body.</returns>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    /// <summary>Posts a JSON body and reads the whole response as <typeparamref name="TResponse"/>, then maps it.</summary>
    /// <typeparam name="TResponse">The response DTO: it says whether it is the dialect's shape.</typeparam>
    /// <typeparam name="TResult">What the mapping returns.</typeparam>
    /// <param name="uri">The endpoint.</param>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <param name="typeInfo">The response DTO's contract.</param>
    /// <param name="map">Maps the DTO (an exception it throws is translated like a read failure).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The mapped response.</returns>
    /// <exception cref="ChatProviderException">The request failed, or the body is not JSON of the dialect's shape, or it is too large.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<TResult> GetResponseAsync<TResponse, TResult>(
        Uri uri, byte[] body, JsonTypeInfo<TResponse> typeInfo, Func<TResponse, TResult> map, CancellationToken cancellationToken)
        where TResponse : class, INativeResponse
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(map);
        using var request = CreateRequest(uri, body, stream: false);
        using var timeout = StartNetworkTimeout();
        using var callerCancellation = LinkCaller(timeout, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        var wait = ProviderWaitTime.Current;
        var started = wait is null ? 0 : TimeProvider.GetTimestamp();
        using var response = await SendAsync(request, token, cancellationToken).ConfigureAwait(false);
        byte[]? buffer = null;
        try
        {
            int length;
            (buffer, length) = await ReadBodyAsync(response, token).ConfigureAwait(false);
            wait?.Add(TimeProvider.GetElapsedTime(started)); // headers and body: the provider's time
            if (!IsUtf8OrCut(buffer.AsSpan(0, length)))
            {
                throw NativeErrors.InvalidUtf8(_providerName, response.StatusCode);
            }

            TResponse dto;
            try
            {
                dto = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo)
                    ?? throw NativeErrors.InvalidShape(_providerName, "the body is JSON null.", response.StatusCode);
            }
            catch (JsonException ex) when (IsCutJson(buffer.AsSpan(0, length)))
            {
                // Empty or cut short: the same transport fault as a cut stream, transient.
                throw new ChatProviderException(
                    ChatProviderErrorKind.Unavailable,
                    _providerName,
                    "The response body is empty or ended before its JSON did: the response is incomplete.",
                    response.StatusCode,
                    ex);
            }

            if (dto.GetShapeError() is { } shapeError)
            {
                throw NativeErrors.InvalidShape(_providerName, shapeError, response.StatusCode);
            }

            TResult result;
            try
            {
                result = map(dto);
            }
            catch (Exception ex) when (ex is not (ChatProviderException or OperationCanceledException or OutOfMemoryException))
            {
                // Whatever the mapping cannot read (a transcoding error, a bad base64, a wrong JSON type) is the body's fault.
                throw new ChatProviderException(
                    ChatProviderErrorKind.Unknown, _providerName, "The provider returned a response the adapter cannot read: " + ex.GetType().Name + ".", response.StatusCode, ex)
                {
                    IsTransient = false,
                };
            }

            // One rule for every adapter: a 200 that carries no result is Unknown, never an empty success.
            if (result is ChatResponse chat && !NativeResults.CarriesResult(chat))
            {
                throw NativeErrors.NoResult(_providerName, response.StatusCode);
            }

            if (_stateOrigin is not null && result is ChatResponse mapped)
            {
                ProviderState.Mark(mapped, _stateOrigin);
            }

            return result;
        }
        catch (Exception ex)
        {
            var translated = Translate(ex, response, cutBefore: null, cancellationToken);
            if (translated is null)
            {
                throw;
            }

            throw translated;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Posts a JSON body and yields the updates a decoder makes of the streamed answer, as they arrive.</summary>
    /// <typeparam name="TState">What <paramref name="prepare"/> needs (e.g. a tuple of the client, the messages and the options), so that no closure is allocated.</typeparam>
    /// <param name="uri">The endpoint (with its streaming query, e.g. <c>?alt=sse</c>).</param>
    /// <param name="state">The state handed to <paramref name="prepare"/>.</param>
    /// <param name="prepare">Builds the UTF-8 JSON body and a new decoder for this response; called when enumeration starts, so that argument errors surface there, as for any async iterator.</param>
    /// <param name="cancellationToken">The caller's token; cancelling it, or disposing of the enumerator, releases the connection.</param>
    /// <returns>The updates.</returns>
    /// <remarks>The network timeout bounds each silence: until the headers, then between two events.</remarks>
    /// <exception cref="ChatProviderException">The request failed, an event is not the dialect's, the provider reported an error, the body is too large, or it ended before the terminal event.</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync<TState>(
        Uri uri, TState state, Func<TState, (byte[] Body, INativeStreamDecoder Decoder)> prepare, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(prepare);
        var (body, adapterDecoder) = prepare(state);
        var decoder = new NativeStreamRules(adapterDecoder, _providerName);
        using var request = CreateRequest(uri, body, stream: true);
        using var timeout = StartNetworkTimeout();
        using var callerCancellation = LinkCaller(timeout, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        var wait = ProviderWaitTime.Current;
        var started = wait is null ? 0 : TimeProvider.GetTimestamp();
        using var response = await SendAsync(request, token, cancellationToken).ConfigureAwait(false);
        wait?.Add(TimeProvider.GetElapsedTime(started)); // until the headers: the provider's time

        Stream inner;
        try
        {
            inner = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = Translate(ex, response, cutBefore: null, cancellationToken);
            if (translated is null)
            {
                throw;
            }

            throw translated;
        }

        var sse = decoder.Format == NativeStreamFormat.ServerSentEvents;
        var stream = new NativeResponseStream(inner, _maxResponseBytes, terminate: sse, wait, TimeProvider);
        await using (stream.ConfigureAwait(false))
        {
            // One loop, one enumerator field and one awaiter for both formats: each event (or line) is decoded as it is read,
            // from its UTF-8 bytes, with no string per event.
            IAsyncEnumerator<SseItem<ChatResponseUpdate?>> events = sse
                ? SseParser.Create(stream, decoder.Decode).EnumerateAsync(token).GetAsyncEnumerator(token)
                : new NdjsonLineReader(stream, decoder, token);
            await using (events.ConfigureAwait(false))
            {
                while (!decoder.Completed)
                {
                    ChatResponseUpdate? update;
                    try
                    {
                        timeout?.Restart(); // a timestamp write: the deadline's one timer notices when it wakes
                        if (!await events.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        update = events.Current.Data;
                    }
                    catch (Exception ex)
                    {
                        var translated = Translate(ex, response, stream.InnerEnded ? decoder.TerminalEventName : null, cancellationToken);
                        if (translated is null)
                        {
                            throw;
                        }

                        throw translated;
                    }

                    if (update is not null)
                    {
                        if (_stateOrigin is not null)
                        {
                            ProviderState.Mark(update, _stateOrigin);
                        }

                        yield return update;
                    }
                }
            }

            if (!decoder.Completed)
            {
                throw Finish(NativeErrors.Incomplete(_providerName, decoder.TerminalEventName, response.StatusCode), response);
            }

            if (!decoder.SawResult)
            {
                throw Finish(NativeErrors.NoResult(_providerName, response.StatusCode), response);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private HttpRequestMessage CreateRequest(Uri uri, byte[] body, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        if (_apiKeyHeaderValue is not null)
        {
            request.Headers.TryAddWithoutValidation(_apiKeyHeaderName, _apiKeyHeaderValue);
        }

        foreach (var header in _headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    /// <summary>
    /// Tells whether a body that failed to deserialize is empty (or only whitespace) or a JSON prefix cut short: a reader that
    /// is told more may come reads it all without error and is left inside a value. A complete document, or bytes that are not
    /// JSON, are not cut.
    /// </summary>
    private static bool IsCutJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        var tokens = 0;
        try
        {
            while (reader.Read())
            {
                tokens++;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (reader.CurrentDepth > 0 || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray || (tokens == 0 && reader.BytesConsumed == body.Length))
        {
            return true; // inside an object or array, or nothing but whitespace
        }

        if (reader.BytesConsumed == body.Length)
        {
            return false; // a complete document
        }

        // A value the reader held back at the top level ("42", "tru"): complete if it reads as the final block.
        var final = new Utf8JsonReader(body, isFinalBlock: true, state: default);
        try
        {
            while (final.Read())
            {
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>
    /// Tells whether a body is valid UTF-8, or would be but for an incomplete sequence at its very end (a body cut inside a
    /// character, which the cut-JSON rule then reports as incomplete).
    /// </summary>
    private static bool IsUtf8OrCut(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return true;
        }

        // Up to three continuation bytes and their lead byte at the end.
        var end = body.Length;
        for (var i = 1; i <= 4 && i <= body.Length; i++)
        {
            var b = body[^i];
            if ((b & 0xC0) == 0xC0)
            {
                end = body.Length - i;
                break;
            }

            if ((b & 0xC0) != 0x80)
            {
                return false;
            }
        }

        return end < body.Length && System.Text.Unicode.Utf8.IsValid(body[..end]);
    }

    /// <summary>
    /// Reads the whole body into a pooled buffer (the caller returns it), bounded by the response-size limit. The
    /// Content-Length is a hint only: the first buffer holds at most <see cref="MaxInitialBuffer"/> bytes and grows as bytes
    /// arrive, so that a body announcing 32 MB and holding a few bytes costs a few bytes (issue 20, N2).
    /// </summary>
    private async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var limit = _maxResponseBytes ?? Array.MaxLength;
        var expected = response.Content.Headers.ContentLength;
        var size = expected is > 0 && expected < limit ? (int)Math.Min(expected.Value + 1, MaxInitialBuffer) : 4096;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var length = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, length);
                    }

                    length += read;
                    if (length > limit)
                    {
                        throw new ResponseTooLargeException(limit);
                    }
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Starts the network timeout: a source cancelled by the options' clock after the longest silence, whose deadline each event
    /// moves without a timer operation (<see cref="NetworkDeadline"/>); none when the timeout is infinite (the caller's token
    /// alone bounds the exchange).
    /// </summary>
    private NetworkDeadline? StartNetworkTimeout() =>
        _networkTimeout == Timeout.InfiniteTimeSpan ? null : new NetworkDeadline(_networkTimeout, TimeProvider);

    /// <summary>
    /// Makes the caller's token cancel the network-timeout source too, so that one token bounds the exchange. A registration
    /// on the caller's token (none when it cannot cancel) instead of a linked source per call: the caller's cancellation is
    /// still told from the timeout's by the caller's own token (<see cref="Translate"/>).
    /// </summary>
    private static CancellationTokenRegistration LinkCaller(NetworkDeadline? timeout, CancellationToken callerToken) =>
        timeout is null ? default : callerToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);

    /// <summary>Sends a request and returns a successful response (headers read), or throws the taxonomy exception.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = Translate(ex, null, cutBefore: null, callerToken);
            if (translated is null)
            {
                throw;
            }

            throw translated;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            // Whatever its content type (an error answered to a streaming request is JSON), the body is the provider's error.
            var error = await ChatProviderErrors.FromResponseAsync(_providerName, response, TimeProvider, cancellationToken).ConfigureAwait(false);
            throw Finish(error, response);
        }
    }

    /// <summary>Translates an exception into the taxonomy (refined and redacted), or returns <see langword="null"/> when it must flow unchanged (the caller's cancellation).</summary>
    private ChatProviderException? Translate(Exception exception, HttpResponseMessage? response, string? cutBefore, CancellationToken callerToken)
    {
        switch (exception)
        {
            case ChatProviderException provider:
                return Finish(provider, response);
            case ResponseTooLargeException tooLarge:
                return Finish(NativeErrors.ResponseTooLarge(_providerName, tooLarge.Limit, response?.StatusCode), response);
            case JsonException when cutBefore is not null && response is not null:
                // The body ended in the middle of an event: a cut stream, not a malformed one.
                return Finish(NativeErrors.Incomplete(_providerName, cutBefore, response.StatusCode, exception), response);
        }

        return ChatProviderErrors.FromException(_providerName, exception, callerToken) is { } translated ? Finish(translated, response) : null;
    }

    private ChatProviderException Finish(ChatProviderException exception, HttpResponseMessage? response)
    {
        var refined = _refine is null ? exception : _refine(exception, response);
        return NativeErrors.RedactSecret(refined, _apiKey);
    }
}
