// Licensed under the MIT License.

using System.Text;
using LlmAdapters.Gemini.Internal;
using LlmAdapters.Native;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.Gemini.Tests;

/// <summary>
/// The byte-level reader of Gemini's hot text chunk (<see cref="GeminiTextChunk"/>) against the DTO path it bypasses: every
/// recorded stream, and every variant of the hot chunk below, must decode the same on both paths, update or exception.
/// </summary>
public sealed class GeminiFastPathTests
{
    private const string Primer = """{"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"}}],"modelVersion":"gemini-2.0-flash","responseId":"r1","usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}""";
    private const string Hot = """{"candidates":[{"content":{"parts":[{"text":" capital"}],"role":"model"}}],"modelVersion":"gemini-2.0-flash","responseId":"r1","usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}""";
    private const string Finish = """{"candidates":[{"content":{"parts":[{"text":"."}],"role":"model"},"finishReason":"STOP"}],"modelVersion":"gemini-2.0-flash","responseId":"r1"}""";

    public static TheoryData<string> RecordedStreams =>
        [.. Directory.GetFiles(Fixture.PathOf("gemini"), "stream-*.sse").Select(static f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Variants =>
    [
        Hot,
        Hot.Replace("\" capital\"", "\"caf\\u00e9 \\\"q\\\"\\n\"", StringComparison.Ordinal),
        Hot.Replace("\" capital\"", "\"\"", StringComparison.Ordinal),
        Hot.Replace(",\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}", string.Empty, StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "{\"promptTokenCount\":8,\"candidatesTokenCount\":3,\"totalTokenCount\":11,\"thoughtsTokenCount\":2,\"cachedContentTokenCount\":1,\"toolUsePromptTokenCount\":4,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":8}]}", StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "null", StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "{\"promptTokenCount\":\"8\"}", StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "{\"promptTokenCount\":8.5}", StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "{\"promptTokenCount\":8,\"promptTokenCount\":9}", StringComparison.Ordinal),
        Hot.Replace("{\"promptTokenCount\":8,\"totalTokenCount\":8}", "{\"cachedContentTokenCount\":5}", StringComparison.Ordinal),
        Hot.Replace("\"role\":\"model\"}", "\"role\":\"model\"},\"index\":0,\"safetyRatings\":[{\"category\":\"x\"}]", StringComparison.Ordinal),
        Hot.Replace("\"role\":\"model\"}", "\"role\":\"model\"},\"finishReason\":\"STOP\"", StringComparison.Ordinal),
        Hot.Replace("\"role\":\"model\"}", "\"role\":\"model\"},\"finishReason\":null,\"finishMessage\":null", StringComparison.Ordinal),
        Hot.Replace("\"role\":\"model\"}", "\"role\":\"model\"},\"index\":\"0\"", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":\" capital\",\"thought\":true}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":\" capital\",\"thought\":false}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":\" capital\",\"thoughtSignature\":\"c2ln\"}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":\" capital\"},{\"text\":\" city\"}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":\"a\",\"text\":\"b\"}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"text\":7}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"functionCall\":{\"name\":\"f\",\"args\":{}}}", StringComparison.Ordinal),
        Hot.Replace("{\"text\":\" capital\"}", "{\"t\\u0065xt\":\" escaped name\"}", StringComparison.Ordinal),
        Hot.Replace("\"responseId\":\"r1\"", "\"responseId\":\"r2\"", StringComparison.Ordinal),
        Hot.Replace("\"responseId\":\"r1\"", "\"responseId\":null", StringComparison.Ordinal),
        Hot.Replace(",\"responseId\":\"r1\"", string.Empty, StringComparison.Ordinal),
        Hot.Replace("\"gemini-2.0-flash\"", "\"gemini-2.5-pro\"", StringComparison.Ordinal),
        Hot.Replace("}]}],", "}]},{\"content\":{\"parts\":[{\"text\":\"b\"}]}}],", StringComparison.Ordinal),
        Hot.Replace("{\"candidates\":", "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"candidates\":", StringComparison.Ordinal),
        Hot.Replace("{\"candidates\":", "{\"error\":{\"code\":500,\"message\":\"boom\"},\"candidates\":", StringComparison.Ordinal),
        Hot.Replace("{\"candidates\":", "{\"extra\":{\"a\":[1,{\"b\":null}]},\"candidates\":", StringComparison.Ordinal),
        Hot + " trailing",
        Hot[..^1],
        "[1]",
        "null",
    ];

    [Theory]
    [MemberData(nameof(RecordedStreams))]
    public void RecordedStream_DecodesTheSameOnBothPaths(string file)
    {
        var events = DecoderParity.Events(Fixture.Bytes("gemini/" + file), NativeStreamFormat.ServerSentEvents);

        Assert.Equal(
            DecoderParity.DecodeAll(new GeminiStreamDecoder(DecoderParity.Clock, fastPath: false), events),
            DecoderParity.DecodeAll(new GeminiStreamDecoder(DecoderParity.Clock), events));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_AfterAPrimer_DecodesTheSameOnBothPaths_AndSoDoesTheFinish(string chunk)
    {
        string[] events = [Primer, chunk, Finish];
        var pairs = events.Select(e => (string.Empty, Encoding.UTF8.GetBytes(e))).ToList();

        Assert.Equal(
            DecoderParity.DecodeAll(new GeminiStreamDecoder(DecoderParity.Clock, fastPath: false), pairs),
            DecoderParity.DecodeAll(new GeminiStreamDecoder(DecoderParity.Clock), pairs));
    }

    [Fact]
    public void HotChunk_IsReadByTheFastPath_WithoutTheDto()
    {
        var decoder = new GeminiStreamDecoder(DecoderParity.Clock);
        Assert.NotNull(decoder.Decode("message", Encoding.UTF8.GetBytes(Primer)));

        var update = decoder.Decode("message", Encoding.UTF8.GetBytes(Hot));

        Assert.True(GeminiTextChunk.TryRead(Encoding.UTF8.GetBytes(Hot), "r1", "gemini-2.0-flash", out var text, out _));
        Assert.Equal(" capital", text);
        Assert.NotNull(update);
        Assert.Null(update.RawRepresentation); // the DTO path keeps its DTO there
        Assert.Equal(" capital", update.Text);
    }

    [Fact]
    public void RecordedTextStream_TakesTheFastPathForEveryChunkButTheFirstAndTheLast()
    {
        var events = DecoderParity.Events(Fixture.Bytes("gemini/stream-text-simple.sse"), NativeStreamFormat.ServerSentEvents);
        var decoder = new GeminiStreamDecoder(DecoderParity.Clock);

        var raw = events.Select(e => decoder.Decode(e.EventType, e.Data)?.RawRepresentation).ToList();

        Assert.Equal([true, false, true], raw.Select(r => r is not null));
    }
}
