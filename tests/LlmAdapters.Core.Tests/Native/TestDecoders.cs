// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Core.Tests.Native;

/// <summary>A dialect as small as a dialect can be: <c>{"text":"..."}</c> events, and a terminal rule given by the test.</summary>
internal sealed class TextDecoder(NativeStreamFormat format, bool doneSentinel) : INativeStreamDecoder
{
    public NativeStreamFormat Format => format;

    public string TerminalEventName => doneSentinel ? "[DONE]" : "\"done\":true";

    public bool Completed { get; private set; }

    public List<string> EventTypes { get; } = [];

    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        EventTypes.Add(eventType);
        if (doneSentinel && NativeSse.IsDoneSentinel(data))
        {
            Completed = true;
            return null;
        }

        var item = JsonSerializer.Deserialize(data, TestJsonContext.Default.TextItem) ?? throw new JsonException("null event");
        Completed = item.Done;
        return item.Text is null ? null : new ChatResponseUpdate(ChatRole.Assistant, item.Text);
    }
}

/// <summary>The non-streamed response of the test dialect: <c>{"text":"..."}</c> is required.</summary>
internal sealed class TextItem : INativeResponse
{
    [JsonPropertyName("text")]
    public string? Text { get; set; }

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    public string? GetShapeError() => Text is null ? "it has no \"text\"." : null;
}

[JsonSerializable(typeof(TextItem))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>A body served a few bytes at a time, so that events and lines are split across reads.</summary>
internal sealed class TrickleContent(string text, int chunk) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i))).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new TrickleStream(Encoding.UTF8.GetBytes(text), chunk));

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }
}
