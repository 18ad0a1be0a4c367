// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Anthropic.Internal;
using LlmAdapters.Anthropic.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// Per streamed Anthropic <c>text_delta</c> event (the recorded <c>" there"</c> delta of <c>anthropic/stream-text-basic.sse</c>):
/// what the baseline does with it (<c>JsonDocument</c> parse and read <c>delta.text</c>) against the adapter's own steps:
/// the source-generated deserialization into the <c>StreamEvent</c> DTO (now only for the rare events), the
/// <c>Utf8JsonReader</c> read of a <c>content_block_delta</c> that replaced it on the hot path (<c>ContentBlockDelta</c>,
/// with the text decoded), and all its per-event work (<c>AnthropicStreamState.Process</c> over the event's UTF-8 bytes,
/// as the SSE parser hands them over: the read and the <see cref="ChatResponseUpdate"/> it yields).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class AnthropicEventDecodeBenchmarks
{
    private const string Data = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}""";
    private const string EventType = "content_block_delta";

    private static readonly byte[] s_utf8 = Encoding.UTF8.GetBytes(Data);
    private AnthropicStreamState _state = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = new AnthropicStreamState(new RequestPlan(null, false), TimeProvider.System);
        if (JsonDocumentParse() != " there" || ((StreamEvent)StreamEventDeserialize()).Delta?.Text != " there" ||
            ContentBlockDeltaRead() != " there" || StreamStateProcess()?.Text != " there")
        {
            throw new InvalidOperationException("The event did not decode as recorded.");
        }
    }

    /// <summary>What the bare baseline does per event.</summary>
    [Benchmark(Baseline = true)]
    public string? JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(Data);
        return document.RootElement.GetProperty("delta").GetProperty("text").GetString();
    }

    /// <summary>The adapter's deserialization of the event.</summary>
    [Benchmark]
    public object StreamEventDeserialize() => JsonSerializer.Deserialize(Data, AnthropicJsonContext.Default.StreamEvent)!;

    /// <summary>The adapter's read of a <c>content_block_delta</c> event, and the decoding of its text.</summary>
    [Benchmark]
    public string? ContentBlockDeltaRead() => ContentBlockDelta.TryRead(EventType, s_utf8, out var delta) ? delta.GetString() : null;

    /// <summary>All the adapter's per-event work: the read and the update.</summary>
    [Benchmark]
    public ChatResponseUpdate? StreamStateProcess() => _state.Process(EventType, s_utf8);
}
