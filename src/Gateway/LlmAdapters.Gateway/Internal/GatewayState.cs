// Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Gateway;

/// <summary>What every front door shares: the keys, the clients, the cost ledger, the limits and the log.</summary>
internal sealed class GatewayState
{
    public GatewayState(GatewayOptions options, ConfiguredChatClients clients, IServiceProvider services, TimeProvider time, ILogger logger)
    {
        Options = options;
        Keys = new GatewayKeyRing(options.Keys);
        Clients = new GatewayClients(clients, options, services);
        Ledger = services.GetService<ICostLedger>();
        Time = time;
        Logger = logger;
    }

    public GatewayOptions Options { get; }

    public GatewayKeyRing Keys { get; }

    public GatewayClients Clients { get; }

    /// <summary>Gets the cost ledger the pipeline's cost accounting writes (the Redis one with <c>AI:Redis</c>), or <see langword="null"/>.</summary>
    public ICostLedger? Ledger { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Authenticates the request; the 401 when no key matched.</summary>
    public GatewayError? Authenticate(HttpContext context, out GatewayKey? key)
    {
        var message = Keys.Authenticate(context.Request, out key);
        if (message is null)
        {
            return null;
        }

        Log.Unauthorized(Logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
        return GatewayError.Unauthorized(message);
    }

    /// <summary>Reads the JSON body under the size cap; the 400 or 413 when it cannot.</summary>
    public async Task<(T? Body, GatewayError? Error)> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (context.Request.ContentLength is { } length && length > Options.MaxRequestBodyBytes)
        {
            return (null, TooLarge());
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = Options.MaxRequestBodyBytes;
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted).ConfigureAwait(false);
            return body is null ? (null, GatewayError.BadRequest("The request body is empty: send a JSON object.")) : (body, null);
        }
        catch (JsonException ex)
        {
            // The parser's position, never the body's text.
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            return (null, GatewayError.BadRequest($"The request body is not valid JSON for this endpoint{where}."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    /// <summary>Checks the model and the key's grant; the 404 or 403 when it may not be served.</summary>
    public GatewayError? Route(GatewayKey key, string? model, out string client)
    {
        client = string.Empty;
        if (string.IsNullOrWhiteSpace(model))
        {
            return GatewayError.BadRequest("'model' is required: name a configured client.");
        }

        if (Clients.Resolve(model) is not { } resolved)
        {
            return GatewayError.NotFound($"The model '{Shorten(model)}' does not exist: GET /v1/models lists the models this key may use.");
        }

        if (!key.Allows(resolved))
        {
            return GatewayError.Forbidden($"This key may not use the model '{Shorten(model)}'.");
        }

        client = resolved;
        return null;
    }

    /// <summary>Options common to every gateway call: the key's tenant (ledger and budgets) and the key's name (the ledger's caller).</summary>
    public static ChatOptions CallOptions(GatewayKey key) => new ChatOptions().WithTenant(key.Tenant).WithCaller(key.Name);

    /// <summary>Logs a failed call (the exception is the redacted one the pipeline threw).</summary>
    public void Failed(GatewayKey key, string client, GatewayError error, Exception exception)
    {
        if (error.Status >= 500)
        {
            Log.CallFailed(Logger, key.Name, client, error.Status, exception);
        }
        else
        {
            Log.CallRefused(Logger, key.Name, client, error.Status, error.Code);
        }
    }

    private GatewayError TooLarge() =>
        GatewayError.TooLarge($"The request body is larger than this gateway accepts ({Options.MaxRequestBodyBytes} bytes, Gateway:MaxRequestBodyBytes).");

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
