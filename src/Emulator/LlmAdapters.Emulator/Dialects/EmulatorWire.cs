// Licensed under the MIT License.

using System.Globalization;
using System.Text;

namespace LlmAdapters.Emulator;

/// <summary>What every dialect does alike: read the body, apply faults, write JSON and server-sent events.</summary>
internal static class EmulatorWire
{
    public static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Applies the delay of a fault and, when the fault is an error, writes it. Returns true when the request is answered.</summary>
    public static async Task<bool> TryWriteFaultAsync(HttpContext context, EmulatorServer server, EmulatorFault? fault, Func<int, string?, string> errorBody)
    {
        if (fault is null)
        {
            return false;
        }

        if (fault.FirstByteDelay is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, server.Options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
        }

        if (fault.StatusCode is not { } status)
        {
            return false;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers["retry-after"] = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.Headers["x-request-id"] = "req_emu_" + server.RequestCount.ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(fault.Body ?? errorBody(status, fault.ErrorType), context.RequestAborted).ConfigureAwait(false);
        return true;
    }

    public static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes server-sent events, applying a fault's malformed chunk and cut. Each event is (event name or null, data).</summary>
    public static async Task WriteEventsAsync(HttpContext context, EmulatorServer server, IEnumerable<(string? Event, string Data)> events, EmulatorFault? fault)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var index = 0;
        foreach (var (name, data) in events)
        {
            if (fault?.CutAfterChunks is { } cut && index >= cut)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }

            var payload = fault?.MalformedChunkAt == index ? "{\"malformed\": tru" : data;
            var text = name is null ? $"data: {payload}\n\n" : $"event: {name}\ndata: {payload}\n\n";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            index++;
            if (server.Options.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(server.Options.ChunkDelay, server.Options.TimeProvider, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a non-streamed body, cut short when the fault asks for a cut.</summary>
    public static async Task WriteBodyAsync(HttpContext context, string json, EmulatorFault? fault)
    {
        if (fault?.CutAfterChunks is not null)
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(json);
            await context.Response.WriteAsync(json[..(json.Length / 2)], context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        await WriteJsonAsync(context, fault?.MalformedChunkAt is not null ? json[..(json.Length / 2)] : json).ConfigureAwait(false);
    }
}
