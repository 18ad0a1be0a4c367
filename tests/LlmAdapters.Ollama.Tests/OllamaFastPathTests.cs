// Licensed under the MIT License.

using System.Text;
using LlmAdapters.Native;
using LlmAdapters.Ollama.Internal;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.Ollama.Tests;

/// <summary>
/// The byte-level reader of Ollama's hot line (<see cref="OllamaTextLine"/>) against the DTO path it bypasses: every recorded
/// stream, and every variant of the hot line below, must decode the same on both paths, update or exception.
/// </summary>
public sealed class OllamaFastPathTests
{
    private const string Primer = """{"model":"llama3.1","created_at":"2024-10-01T16:15:20.4965315Z","message":{"role":"assistant","content":"Hello"},"done":false}""";
    private const string Hot = """{"model":"llama3.1","created_at":"2024-10-01T16:15:20.763058Z","message":{"role":"assistant","content":"!"},"done":false}""";
    private const string Done = """{"model":"llama3.1","created_at":"2024-10-01T16:15:24.2514508Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":11,"eval_count":20}""";

    public static TheoryData<string> RecordedStreams =>
        [.. Directory.GetFiles(Fixture.PathOf("ollama"), "stream-*.ndjson").Select(static f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Variants =>
    [
        Hot,
        Hot.Replace("\"!\"", "\"caf\\u00e9 \\\"q\\\"\\n\"", StringComparison.Ordinal),
        Hot.Replace("\"!\"", "\"\"", StringComparison.Ordinal),
        Hot.Replace("\"!\"", "null", StringComparison.Ordinal),
        Hot.Replace("\"!\"", "7", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"content\":\"\",\"thinking\":\"hm\"", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"content\":\"a\",\"thinking\":\"hm\"", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"content\":\"a\",\"thinking\":null,\"images\":null,\"tool_calls\":null", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"content\":\"a\",\"content\":\"b\"", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"!\"", "\"c\\u006fntent\":\"escaped name\"", StringComparison.Ordinal),
        Hot.Replace("\"role\":\"assistant\",", string.Empty, StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":true", StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":null", StringComparison.Ordinal),
        Hot.Replace(",\"done\":false", string.Empty, StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":false,\"done_reason\":null", StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":false,\"eval_count\":\"3\"", StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":false,\"error\":\"model runner crashed\"", StringComparison.Ordinal),
        Hot.Replace("\"done\":false", "\"done\":false,\"extra\":{\"a\":[1]}", StringComparison.Ordinal),
        Hot.Replace("\"llama3.1\"", "\"qwen3\"", StringComparison.Ordinal),
        Hot.Replace("\"model\":\"llama3.1\",", string.Empty, StringComparison.Ordinal),
        Hot.Replace("\"2024-10-01T16:15:20.763058Z\"", "\"2024-10-01T16:15:20+02:00\"", StringComparison.Ordinal),
        Hot.Replace("\"2024-10-01T16:15:20.763058Z\"", "\"yesterday\"", StringComparison.Ordinal),
        Hot.Replace("\"2024-10-01T16:15:20.763058Z\"", "null", StringComparison.Ordinal),
        Hot.Replace("\"created_at\":\"2024-10-01T16:15:20.763058Z\",", string.Empty, StringComparison.Ordinal),
        Hot.Replace(",\"message\":{\"role\":\"assistant\",\"content\":\"!\"}", string.Empty, StringComparison.Ordinal),
        Hot.Replace("{\"role\":\"assistant\",\"content\":\"!\"}", "null", StringComparison.Ordinal),
        Hot + " trailing",
        Hot[..^1],
        "[1]",
        "null",
    ];

    [Theory]
    [MemberData(nameof(RecordedStreams))]
    public void RecordedStream_DecodesTheSameOnBothPaths(string file)
    {
        var events = DecoderParity.Events(Fixture.Bytes("ollama/" + file), NativeStreamFormat.NewlineDelimitedJson);

        Assert.Equal(
            DecoderParity.DecodeAll(new OllamaStreamDecoder(DecoderParity.Clock, fastPath: false), events),
            DecoderParity.DecodeAll(new OllamaStreamDecoder(DecoderParity.Clock), events));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_AfterAPrimer_DecodesTheSameOnBothPaths_AndSoDoesTheDoneLine(string line)
    {
        string[] lines = [Primer, line, Done];
        var pairs = lines.Select(e => (string.Empty, Encoding.UTF8.GetBytes(e))).ToList();

        Assert.Equal(
            DecoderParity.DecodeAll(new OllamaStreamDecoder(DecoderParity.Clock, fastPath: false), pairs),
            DecoderParity.DecodeAll(new OllamaStreamDecoder(DecoderParity.Clock), pairs));
    }

    [Fact]
    public void RecordedTextStream_TakesTheFastPathForEveryLineButTheFirstAndTheDoneLine()
    {
        var events = DecoderParity.Events(Fixture.Bytes("ollama/stream-text-length.ndjson"), NativeStreamFormat.NewlineDelimitedJson);
        var decoder = new OllamaStreamDecoder(DecoderParity.Clock);

        var raw = events.Select(e => decoder.Decode(e.EventType, e.Data)?.RawRepresentation is not null).ToList();

        Assert.True(raw[0]);
        Assert.True(raw[^1]);
        Assert.All(raw.Skip(1).SkipLast(1), Assert.False);
        Assert.True(raw.Count > 10);
    }
}
