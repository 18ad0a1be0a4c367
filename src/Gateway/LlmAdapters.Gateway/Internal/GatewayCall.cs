// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Gateway;

/// <summary>
/// One call through a front door, the path both doors share: authenticate, read the body under the cap, route the model,
/// map the wire to M.E.AI (the door's part), then serve it with the key's client, answering every failure before the first
/// byte in the door's error shape, and measure the gateway's overhead (<see cref="LlmGatewayTelemetryNames.OverheadInstrument"/>).
/// </summary>
internal sealed class GatewayCall
{
    private readonly HttpContext _context;
    private readonly Func<HttpContext, GatewayError, Task> _writeError;
    private readonly long _started;
    private readonly string _door;
    private ProviderWaitTime? _wait;

    private GatewayCall(HttpContext context, GatewayState gateway, GatewayKey key, string client, string door, Func<HttpContext, GatewayError, Task> writeError, long started)
    {
        _context = context;
        Gateway = gateway;
        Key = key;
        Client = client;
        _door = door;
        _writeError = writeError;
        _started = started;
        Chat = gateway.Clients.Get(key, client);
    }

    public GatewayState Gateway { get; }

    public GatewayKey Key { get; }

    public string Client { get; }

    public IChatClient Chat { get; }

    public List<ChatMessage> Messages { get; private set; } = [];

    public ChatOptions Options { get; private set; } = new();

    public CancellationToken Aborted => _context.RequestAborted;

    /// <summary>
    /// Authenticates, reads and routes the request and maps it with the door's <paramref name="map"/> (a
    /// <see cref="FormatException"/> is the 400): the call and its request, or <see langword="null"/> when the answer, an
    /// error, is written.
    /// </summary>
    public static async Task<(GatewayCall? Call, TRequest? Request)> OpenAsync<TRequest>(
        HttpContext context,
        string door,
        JsonTypeInfo<TRequest> typeInfo,
        Func<TRequest, string?> model,
        Func<TRequest, ChatOptions, (List<ChatMessage> Messages, ChatOptions Options)> map,
        Func<HttpContext, GatewayError, Task> writeError)
        where TRequest : class
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        var started = GatewayTelemetry.Overhead.Enabled ? gateway.Time.GetTimestamp() : 0;
        if (gateway.Authenticate(context, out var key) is { } unauthorized)
        {
            await writeError(context, unauthorized).ConfigureAwait(false);
            return (null, null);
        }

        var (request, bodyError) = await gateway.ReadBodyAsync(context, typeInfo).ConfigureAwait(false);
        if (bodyError is not null || request is null)
        {
            await writeError(context, bodyError!).ConfigureAwait(false);
            return (null, null);
        }

        if (gateway.Route(key!, model(request), out var client) is { } routeError)
        {
            await writeError(context, routeError).ConfigureAwait(false);
            return (null, null);
        }

        var call = new GatewayCall(context, gateway, key!, client, door, writeError, started);
        try
        {
            (call.Messages, call.Options) = map(request, GatewayState.CallOptions(key!));
        }
        catch (FormatException ex)
        {
            await writeError(context, GatewayError.BadRequest(ex.Message)).ConfigureAwait(false);
            return (null, null);
        }

        return (call, request);
    }

    /// <summary>Gets the response, or <see langword="null"/> when the call failed (the error is written) or the caller went away.</summary>
    public async Task<ChatResponse?> GetResponseAsync()
    {
        BeginWait();
        try
        {
            var response = await Chat.GetResponseAsync(Messages, Options, Aborted).ConfigureAwait(false);
            foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
            {
                CheckToolCall(call);
            }

            return response;
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
            Log.CallCancelled(Gateway.Logger, Key.Name, Client);
            return null;
        }
        catch (Exception ex)
        {
            await FailAsync(ex).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Starts the stream and waits for its first update, which decides the status: a failure before it is a plain HTTP
    /// error in the door's shape (then <see langword="null"/>). Otherwise the enumerator, on its first update when
    /// <c>More</c>; the caller disposes it.
    /// </summary>
    public async Task<(IAsyncEnumerator<ChatResponseUpdate>? Updates, bool More)> StartStreamAsync()
    {
        BeginWait();
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            // Inside the try: a client may refuse the call before it is enumerated (a stage's argument check), and that
            // refusal is an answer in the door's shape too, not an unhandled exception.
            enumerator = Chat.GetStreamingResponseAsync(Messages, Options, Aborted).GetAsyncEnumerator(Aborted);
            return (enumerator, await enumerator.MoveNextAsync().ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
            await DisposeAsync(enumerator).ConfigureAwait(false);
            Log.CallCancelled(Gateway.Logger, Key.Name, Client);
            return (null, false);
        }
        catch (Exception ex)
        {
            await DisposeAsync(enumerator).ConfigureAwait(false);
            await FailAsync(ex).ConfigureAwait(false);
            return (null, false);
        }

        static async ValueTask DisposeAsync(IAsyncEnumerator<ChatResponseUpdate>? enumerator)
        {
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Refuses a tool call whose arguments the adapter could not read (<see cref="FunctionCallContent.Exception"/>: not a
    /// JSON object): the gateway hands tool calls to its caller, and never as <c>{}</c> in place of what the provider sent.
    /// </summary>
    /// <exception cref="ChatProviderException">The arguments are not a JSON object (<see cref="ChatProviderErrorKind.Unknown"/>).</exception>
    public void CheckToolCall(FunctionCallContent call)
    {
        if (call.Exception is not null)
        {
            throw new ChatProviderException(
                ChatProviderErrorKind.Unknown,
                Gateway.Clients.ProviderOf(Client),
                $"The provider sent a call of the tool '{call.Name}' whose arguments are not a JSON object.");
        }
    }

    /// <summary>Gets a writer of server-sent events on this call's response.</summary>
    public SseWriter Sse() => new(_context);

    /// <summary>Logs a stream the caller left (the provider call is cancelled with it).</summary>
    public void StreamCancelled() => Log.CallCancelled(Gateway.Logger, Key.Name, Client);

    /// <summary>A stream that failed after its first byte: logged, and the error the door sends as its in-stream event.</summary>
    public GatewayError StreamFailed(Exception exception)
    {
        var error = GatewayError.From(exception, Gateway.Time);
        Log.StreamFailed(Gateway.Logger, Key.Name, Client, error.Status);
        Gateway.Failed(Key, Client, error, exception);
        return error;
    }

    /// <summary>Writes a JSON response body.</summary>
    public Task WriteJsonAsync<T>(T body, JsonTypeInfo<T> typeInfo) => GatewayCall.WriteJsonAsync(_context, body, typeInfo);

    /// <summary>Records the gateway's overhead: the call's time in the gateway and the pipeline minus the time the adapter waited on the provider.</summary>
    public void Finish()
    {
        if (_wait is { Reported: true } wait && _started != 0)
        {
            var inside = Gateway.Time.GetElapsedTime(_started);
            GatewayTelemetry.Overhead.Record(
                Math.Max(0, (inside - wait.Elapsed).TotalSeconds),
                new KeyValuePair<string, object?>(LlmGatewayTelemetryNames.ClientTag, Client),
                new KeyValuePair<string, object?>(LlmGatewayTelemetryNames.DoorTag, _door));
        }
    }

    /// <summary>Writes a JSON response body (200 unless set).</summary>
    public static async Task WriteJsonAsync<T>(HttpContext context, T body, JsonTypeInfo<T> typeInfo)
    {
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes an error in a wire's body shape with its status and <c>Retry-After</c>, unless the response has started.</summary>
    public static async Task WriteErrorAsync<T>(HttpContext context, GatewayError error, T body, JsonTypeInfo<T> typeInfo)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = error.Status;
        if (error.RetryAfterHeader is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        try
        {
            await WriteJsonAsync(context, body, typeInfo).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody to tell.
        }
    }

    private void BeginWait()
    {
        // Only while someone listens: the adapter adds its waiting to this flow's accumulator (through the pipeline's own).
        if (_started != 0)
        {
            _wait = ProviderWaitTime.Begin();
        }
    }

    private async Task FailAsync(Exception exception)
    {
        var error = GatewayError.From(exception, Gateway.Time);
        Gateway.Failed(Key, Client, error, exception);
        await _writeError(_context, error).ConfigureAwait(false);
    }
}
