// Licensed under the MIT License.

using System.Text;
using LlmAdapters.DashScope.Internal;
using LlmAdapters.Native;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.DashScope.Tests;

/// <summary>
/// The byte-level reader of DashScope's hot event (<see cref="DashScopeTextEvent"/>) against the DTO path it bypasses: the
/// recorded native stream, and every variant of the hot event below, must decode the same on both paths, update or exception.
/// </summary>
public sealed class DashScopeFastPathTests
{
    private const string Primer = """{"output":{"choices":[{"finish_reason":"null","message":{"role":"assistant","content":"","reasoning_content":"Hm"}}]},"usage":{"input_tokens":238,"output_tokens":6,"total_tokens":244},"request_id":"req-1"}""";
    private const string Hot = """{"output":{"choices":[{"finish_reason":"null","message":{"role":"assistant","content":"Hi","reasoning_content":""}}]},"usage":{"input_tokens":238,"output_tokens":7,"total_tokens":245},"request_id":"req-1"}""";
    private const string Finish = """{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":""}}]},"request_id":"req-1"}""";

    private static readonly RequestPlan s_plan = new("qwen-plus", Multimodal: false);

    public static TheoryData<string> Variants =>
    [
        Hot,
        Hot.Replace("\"Hi\"", "\"caf\\u00e9 \\\"q\\\"\\n\"", StringComparison.Ordinal),
        Hot.Replace("\"Hi\"", "\"\"", StringComparison.Ordinal),
        Hot.Replace("\"Hi\"", "null", StringComparison.Ordinal),
        Hot.Replace("\"Hi\"", "[{\"text\":\"part\"}]", StringComparison.Ordinal),
        Hot.Replace("\"Hi\"", "7", StringComparison.Ordinal),
        Hot.Replace("\"reasoning_content\":\"\"", "\"reasoning_content\":\"think\"", StringComparison.Ordinal),
        Hot.Replace("\"reasoning_content\":\"\"", "\"reasoning_content\":null,\"tool_calls\":null", StringComparison.Ordinal),
        Hot.Replace("\"reasoning_content\":\"\"", "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"Hi\"", "\"content\":\"a\",\"content\":\"b\"", StringComparison.Ordinal),
        Hot.Replace("\"content\":\"Hi\"", "\"c\\u006fntent\":\"escaped\"", StringComparison.Ordinal),
        Hot.Replace("\"finish_reason\":\"null\"", "\"finish_reason\":\"stop\"", StringComparison.Ordinal),
        Hot.Replace("\"finish_reason\":\"null\"", "\"finish_reason\":\"\"", StringComparison.Ordinal),
        Hot.Replace("\"finish_reason\":\"null\"", "\"finish_reason\":null", StringComparison.Ordinal),
        Hot.Replace("\"finish_reason\":\"null\",", string.Empty, StringComparison.Ordinal),
        Hot.Replace("]},\"usage\"", "],\"finish_reason\":\"stop\"},\"usage\"", StringComparison.Ordinal),
        Hot.Replace("]},\"usage\"", "],\"text\":\"ignored\"},\"usage\"", StringComparison.Ordinal),
        Hot.Replace("}]},\"usage\"", "},{\"finish_reason\":\"null\",\"message\":{\"content\":\"b\"}}]},\"usage\"", StringComparison.Ordinal),
        Hot.Replace("{\"input_tokens\":238,\"output_tokens\":7,\"total_tokens\":245}", "null", StringComparison.Ordinal),
        Hot.Replace("{\"input_tokens\":238,\"output_tokens\":7,\"total_tokens\":245}", "{\"input_tokens\":\"238\"}", StringComparison.Ordinal),
        Hot.Replace("{\"input_tokens\":238,\"output_tokens\":7,\"total_tokens\":245}", "{\"input_tokens\":238,\"output_tokens_details\":{\"reasoning_tokens\":5}}", StringComparison.Ordinal),
        Hot.Replace(",\"usage\":{\"input_tokens\":238,\"output_tokens\":7,\"total_tokens\":245}", string.Empty, StringComparison.Ordinal),
        Hot.Replace("\"req-1\"", "\"req-2\"", StringComparison.Ordinal),
        Hot.Replace("\"req-1\"", "null", StringComparison.Ordinal),
        Hot.Replace(",\"request_id\":\"req-1\"", string.Empty, StringComparison.Ordinal),
        Hot.Replace("{\"output\":", "{\"code\":\"InternalError\",\"output\":", StringComparison.Ordinal),
        Hot.Replace("{\"output\":", "{\"extra\":[1,{\"a\":null}],\"output\":", StringComparison.Ordinal),
        """{"code":"InternalError","message":"boom","request_id":"req-1"}""",
        Hot + " trailing",
        Hot[..^1],
        "[1]",
        "null",
    ];

    [Fact]
    public void RecordedStream_DecodesTheSameOnBothPaths()
    {
        foreach (var file in Directory.GetFiles(Fixture.PathOf("dashscope"), "native-stream-*.sse"))
        {
            var events = DecoderParity.Events(File.ReadAllBytes(file), NativeStreamFormat.ServerSentEvents);

            Assert.Equal(
                DecoderParity.DecodeAll(new DashScopeStreamDecoder(s_plan, DecoderParity.Clock, fastPath: false), events),
                DecoderParity.DecodeAll(new DashScopeStreamDecoder(s_plan, DecoderParity.Clock), events));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_AfterAPrimer_DecodesTheSameOnBothPaths_AndSoDoesTheFinish(string data)
    {
        foreach (var eventType in new[] { "result", "error" })
        {
            (string, byte[])[] events = [("result", Encoding.UTF8.GetBytes(Primer)), (eventType, Encoding.UTF8.GetBytes(data)), ("result", Encoding.UTF8.GetBytes(Finish))];

            Assert.Equal(
                DecoderParity.DecodeAll(new DashScopeStreamDecoder(s_plan, DecoderParity.Clock, fastPath: false), events),
                DecoderParity.DecodeAll(new DashScopeStreamDecoder(s_plan, DecoderParity.Clock), events));
        }
    }

    [Fact]
    public void RecordedStream_TakesTheFastPathForItsTextAndReasoningEvents()
    {
        var events = DecoderParity.Events(Fixture.Bytes("dashscope/native-stream-thinking-tool-call.sse"), NativeStreamFormat.ServerSentEvents);
        var decoder = new DashScopeStreamDecoder(s_plan, DecoderParity.Clock);

        var updates = events.Select(e => decoder.Decode(e.EventType, e.Data)).Where(u => u is not null).ToList();

        Assert.True(updates.Count(u => u!.RawRepresentation is null) > updates.Count / 2);
    }
}
