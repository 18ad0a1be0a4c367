// Licensed under the MIT License.

using System.Net.ServerSentEvents;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmAdapters.Anthropic.Internal;
using LlmAdapters.Anthropic.Internal.Dto;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// Per streamed Anthropic <c>text_delta</c> event (the recorded <c>" there"</c> delta of <c>anthropic/stream-text-basic.sse</c>):
/// what the baseline does with it (<c>JsonDocument</c> parse and read <c>delta.text</c>) against the adapter's own steps,
/// its source-generated deserialization into the <c>StreamEvent</c> DTO, and all its per-event work
/// (<c>AnthropicStreamState.Process</c>: deserialization and the <see cref="ChatResponseUpdate"/> it yields).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class AnthropicEventDecodeBenchmarks
{
    private const string Data = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}""";

    private readonly SseItem<string> _item = new(Data, "content_block_delta");
    private AnthropicStreamState _state = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = new AnthropicStreamState(new RequestPlan(null, false), TimeProvider.System);
        if (JsonDocumentParse() != " there" || ((StreamEvent)StreamEventDeserialize()).Delta?.Text != " there" || StreamStateProcess()[0].Text != " there")
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

    /// <summary>All the adapter's per-event work: deserialization and the update.</summary>
    [Benchmark]
    public IReadOnlyList<ChatResponseUpdate> StreamStateProcess() => _state.Process(_item);
}
