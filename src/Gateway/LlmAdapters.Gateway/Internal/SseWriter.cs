// Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmAdapters.Gateway;

/// <summary>
/// Writes server-sent events to the response, each flushed at once: <c>event: …</c> (when named) and one <c>data: …</c>
/// line of JSON. The headers (200, <c>text/event-stream</c>, no caching, no proxy buffering) go out with the first event.
/// </summary>
internal sealed class SseWriter
{
    private static readonly byte[] s_data = "data: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();
    private static readonly byte[] s_done = "data: [DONE]\n\n"u8.ToArray();
    private readonly HttpContext _context;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private bool _started;

    public SseWriter(HttpContext context)
    {
        _context = context;
    }

    public async Task WriteAsync<T>(T value, JsonTypeInfo<T> typeInfo, string? eventName = null)
    {
        Start();
        _buffer.ResetWrittenCount();
        if (eventName is not null)
        {
            _buffer.Write("event: "u8);
            var bytes = Encoding.UTF8.GetBytes(eventName);
            _buffer.Write(bytes);
            _buffer.Write("\n"u8);
        }

        _buffer.Write(s_data);
        using (var json = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(json, value, typeInfo);
        }

        _buffer.Write(s_end);
        await _context.Response.Body.WriteAsync(_buffer.WrittenMemory, _context.RequestAborted).ConfigureAwait(false);
        await _context.Response.Body.FlushAsync(_context.RequestAborted).ConfigureAwait(false);
    }

    public async Task WriteDoneAsync()
    {
        Start();
        await _context.Response.Body.WriteAsync(s_done, _context.RequestAborted).ConfigureAwait(false);
        await _context.Response.Body.FlushAsync(_context.RequestAborted).ConfigureAwait(false);
    }

    private void Start()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
