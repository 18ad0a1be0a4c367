// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using static LlmAdapters.Anthropic.Tests.TestSupport;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>
/// The decoding of <c>content_block_delta</c> events, read from their UTF-8 bytes: JSON escapes, raw UTF-8, events cut
/// anywhere by the network or spread over several <c>data:</c> lines, and strings that do not decode.
/// </summary>
public sealed class AnthropicStreamDecodingTests
{
    private const string Start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_d\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n";
    private const string TextStart = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
    private const string TextStop = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
    private const string Stop = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    /// <summary>Text deltas as sent (JSON string contents, escapes and raw UTF-8), and the text each must decode to.</summary>
    private static readonly (string Json, string Text)[] s_escapedTexts =
    [
        (@"line1\nline2", "line1\nline2"),
        (@"say \""hi\"" \\ back\/slash\ttab", "say \"hi\" \\ back/slash\ttab"),
        (@"\r\b\f", "\r\b\f"),
        (@"caf\u00e9 \u00C9t\u00E9", "café Été"),
        (@"\uD83D\uDE00 grin \ud83c\udf89", "\U0001F600 grin \U0001F389"),
        ("naïve 日本 🎉 ×", "naïve 日本 🎉 ×"),
        (@"nul\u0000end", "nul\0end"),
        (@"\u2028\u2029\u00a0", "\u2028\u2029\u00a0"),
    ];

    private static string TextDelta(string json, int index = 0) =>
        $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{index},\"delta\":{{\"type\":\"text_delta\",\"text\":\"{json}\"}}}}\n\n";

    private static string EscapedTextStream() =>
        Start + TextStart + string.Concat(s_escapedTexts.Select(t => TextDelta(t.Json))) + TextStop + Stop;

    private static StubHttpHandler StreamHandler(Func<Stream> body) => new(request =>
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body()), RequestMessage = request };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        return response;
    });

    private static async Task<List<ChatResponseUpdate>> StreamAsync(string sse, int readSize = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(sse);
        using var client = CreateClient(StreamHandler(() => new TrickleStream(bytes, readSize)));
        return await CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EscapedText_DecodedExactly()
    {
        var updates = await StreamAsync(EscapedTextStream());

        Assert.Equal(s_escapedTexts.Select(t => t.Text), updates.Where(u => u.FinishReason is null).Select(u => Assert.IsType<TextContent>(Assert.Single(u.Contents)).Text));
        Assert.All(updates, u => Assert.Equal("msg_d", u.MessageId));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task GetStreamingResponseAsync_EventsCutAnywhereByTheNetwork_DecodedAsInOneRead(int readSize)
    {
        // Reads of 1, 2, 3 and 7 bytes cut events inside escapes, inside multi-byte UTF-8 characters and between surrogates.
        var updates = await StreamAsync(EscapedTextStream(), readSize);

        Assert.Equal(string.Concat(s_escapedTexts.Select(t => t.Text)), updates.ToChatResponse().Text);
        Assert.Equal(s_escapedTexts.Length + 1, updates.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TextDeltaOverSeveralDataLines_Joined()
    {
        // The SSE parser joins data lines with a line feed: white space between JSON tokens.
        var sse = Start + TextStart +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\ndata: \"delta\":{\"type\":\"text_delta\",\ndata: \"text\":\"split \\u00e9 \\\"q\\\"\"}}\n\n" +
            TextStop + Stop;

        var updates = await StreamAsync(sse, readSize: 5);

        Assert.Equal("split é \"q\"", updates[0].Text);
        Assert.Equal(2, updates.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UnusualButValidDeltas_ReadAsTheDtoReadsThem()
    {
        var sse = Start + TextStart +
            // No "type" in the data: the SSE event type names the event; members in another order; unknown members skipped.
            "event: content_block_delta\ndata: {\"index\":0,\"delta\":{\"text\":\"late type\",\"type\":\"text_delta\",\"extra\":{\"a\":[1,{\"b\":null}]}},\"x\":true}\n\n" +
            // An escaped member name and a citations_delta with its citation: read by the DTO.
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"t\\u0065xt\":\" escaped name\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"web_search_result_location\",\"cited_text\":\"c\\u00e9\",\"url\":\"https://example.com/\",\"title\":\"T\"}}}\n\n" +
            // White space everywhere.
            "event: content_block_delta\ndata:  \t{ \"type\" : \"content_block_delta\" , \"index\" : 0 , \"delta\" : { \"type\" : \"text_delta\" , \"text\" : \" spaced\" } } \r\n\n" +
            // Deltas with no text, or of a type this adapter ignores: nothing.
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"future_delta\",\"text\":\"ignored\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":null,\"delta\":{\"type\":\"text_delta\",\"text\":\"ignored\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":null}\n\n" +
            TextStop + Stop;

        var updates = await StreamAsync(sse);

        Assert.Equal(["late type", " escaped name", "", " spaced", ""], updates.Select(u => u.Text));
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(Assert.Single(updates[2].Contents).Annotations!));
        Assert.Equal("cé", citation.Snippet);
        Assert.Equal("T", citation.Title);
        Assert.Equal("web_search", citation.ToolName);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EscapedThinkingAndSignature_DecodedExactly()
    {
        var sse = Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"step\\u00a01\\nstep \\\"2\\\" \\uD83E\\uDD14\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"abc\\/def+==\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"\\u0067hi\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" + Stop;

        var updates = await StreamAsync(sse, readSize: 3);

        Assert.Equal("step\u00a01\nstep \"2\" \U0001F914", Assert.IsType<TextReasoningContent>(Assert.Single(updates[0].Contents)).Text);
        var signed = Assert.IsType<TextReasoningContent>(Assert.Single(updates[1].Contents));
        Assert.Equal(string.Empty, signed.Text);
        Assert.Equal("abc/def+==ghi", signed.ProtectedData);
        var reasoning = Assert.IsType<TextReasoningContent>(Assert.Single(updates.ToChatResponse().Messages[0].Contents));
        Assert.Equal("abc/def+==ghi", reasoning.ProtectedData);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EscapedToolInputSplitInsideEscapes_ArgumentsExact()
    {
        // The input {"q": "café \"x\"\n", "e": "😀", "long": "aaa…"} sent as partial_json, cut inside its own escapes;
        // the long member (over the first decoding buffer's 256 characters) makes the buffer grow.
        var longValue = new string('a', 1000);
        var sse = Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_e\",\"name\":\"f\",\"input\":{}}}\n\n" +
            InputDelta(@"{\""q\"": \""caf\\u00") +
            InputDelta(@"e9 \\\""x\\\""\\") +
            InputDelta(@"n\"", \""e\"": \""\uD83D\uDE00\"", ") +
            InputDelta(@"\""long\"": \""" + longValue + @"\""}") +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

        var updates = await StreamAsync(sse);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(updates[0].Contents));
        Assert.Null(call.Exception);
        Assert.Equal("toolu_e", call.CallId);
        Assert.Equal("café \"x\"\n", ((JsonElement)call.Arguments!["q"]!).GetString());
        Assert.Equal("\U0001F600", ((JsonElement)call.Arguments["e"]!).GetString());
        Assert.Equal(longValue, ((JsonElement)call.Arguments["long"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);

        static string InputDelta(string partialJson) =>
            $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"input_json_delta\",\"partial_json\":\"{partialJson}\"}}}}\n\n";
    }

    [Theory]
    [InlineData(@"{""type"":""content_block_delta"",""index"":0,""delta"":{""type"":""text_delta"",""text"":""bad \uD800 end""}}")]
    [InlineData(@"{""type"":""content_block_delta"",""index"":0,""delta"":{""type"":""text_delta"",""text"":""bad \uDE00""}}")]
    [InlineData(@"{""type"":""content_block_delta"",""index"":0,""delta"":{""type"":""text_delta"",""text"":""ok"",""signature"":""\uD800""}}")]
    [InlineData(@"{""type"":""content_block_delta"",""index"":0,""delta"":{""type"":""input_json_delta"",""partial_json"":""\uDBFF\u0041""}}")]
    public async Task GetStreamingResponseAsync_EscapedLoneSurrogate_ThrowsUnknownAsTheDtoDoes(string data)
    {
        var sse = Start + TextStart + TextDelta("before") + "event: content_block_delta\ndata: " + data + "\n\n" + TextStop + Stop;
        var bytes = Encoding.UTF8.GetBytes(sse);
        using var client = CreateClient(StreamHandler(() => new TrickleStream(bytes, int.MaxValue)));
        var seen = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: Ct))
            {
                seen.Add(update);
            }
        });

        Assert.Equal("before", Assert.Single(seen).Text);
        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_InvalidUtf8_IsUnknown()
    {
        // 0xFF is never valid UTF-8: the stream fails as Unknown, as every adapter's does (issue 20, N12), instead of
        // succeeding with U+FFFD as it used to.
        var head = Encoding.UTF8.GetBytes(Start + TextStart + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a");
        var tail = Encoding.UTF8.GetBytes("b\"}}\n\n" + TextStop + Stop);
        byte[] bytes = [.. head, 0xFF, .. tail];
        using var client = CreateClient(StreamHandler(() => new TrickleStream(bytes, int.MaxValue)));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct)));

        Assert.Equal(ChatProviderErrorKind.Unknown, ex.Kind);
        Assert.False(ex.IsTransient);
    }

    /// <summary>A response body served from memory, at most <c>readSize</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(Math.Min(buffer.Length, readSize), bytes.Length - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
