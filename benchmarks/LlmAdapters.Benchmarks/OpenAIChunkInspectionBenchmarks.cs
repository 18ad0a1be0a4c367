// Licensed under the MIT License.

using System.ClientModel.Primitives;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LlmAdapters.OpenAI.Internal;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// Per streamed OpenAI chunk (the recorded <c>"Hello"</c> chunk of <c>openai/stream-text-usage.sse</c>): what the baseline
/// does with it (<c>JsonDocument</c> parse and read <c>delta.content</c>) against what the OpenAI SDK does (parse it into a
/// <see cref="StreamingChatCompletionUpdate"/>) and against what <c>OpenAICompatibleChatClient</c> adds on top of
/// Microsoft.Extensions.AI.OpenAI for every chunk (its <c>error</c> and <c>delta.reasoning</c> lookups in the SDK's
/// <c>JsonPatch</c>, on an already parsed chunk).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class OpenAIChunkInspectionBenchmarks
{
    private const string Chunk = """{"id":"chatcmpl-ADxFKtX6xIwdWRN42QvBj2u1RZpCK","object":"chat.completion.chunk","created":1727889370,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_f85bea6784","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null}""";

    private readonly BinaryData _chunkData = BinaryData.FromString(Chunk);
    private StreamingChatCompletionUpdate _chunk = null!;
    private ChatResponseUpdate _update = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chunk = SdkParse();
        _update = new ChatResponseUpdate(ChatRole.Assistant, "Hello");
        if (JsonDocumentParse() != "Hello" || _chunk.ContentUpdate[0].Text != "Hello" || AdapterInspection())
        {
            throw new InvalidOperationException("The chunk did not parse as recorded.");
        }
    }

    /// <summary>What the bare baseline does per chunk.</summary>
    [Benchmark(Baseline = true)]
    public string? JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(Chunk);
        return document.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString();
    }

    /// <summary>What the OpenAI SDK does per chunk (before Microsoft.Extensions.AI maps it).</summary>
    [Benchmark]
#pragma warning disable OPENAI001 // OpenAIContext (experimental) is the SDK's public way to read its models with ModelReaderWriter.
    public StreamingChatCompletionUpdate SdkParse() =>
        ModelReaderWriter.Read<StreamingChatCompletionUpdate>(_chunkData, ModelReaderWriterOptions.Json, global::OpenAI.OpenAIContext.Default)!;
#pragma warning restore OPENAI001

    /// <summary>What our wrapper adds per chunk, on the parsed chunk.</summary>
    [Benchmark]
    public bool AdapterInspection()
    {
        // As OpenAICompatibleChatClient does: only an empty update can be an error chunk.
        var error = _update.Contents.Count == 0 && ReasoningFields.TryGetStreamError(_chunk, out _);
        ReasoningFields.AddStreamingReasoning(_chunk, _update);
        return error;
    }
}
