// Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A streamed Ollama <c>/api/chat</c> answer served from memory (the recorded NDJSON <c>ollama/stream-text-length.ndjson</c>,
/// 21 lines), read by the floor (HttpClient + <see cref="Utf8JsonReader"/> on each line's bytes, baseline) and by the peer,
/// OllamaSharp 5.5.2's <c>IChatClient</c>. When the native Ollama adapter lands, its row is one more method here:
/// <c>[Benchmark] public Task&lt;ChatAnswer&gt; OllamaChatClient() =&gt; Answers.FromStreamAsync(_adapter.GetStreamingResponseAsync(_messages));</c>
/// with the adapter built over <see cref="_http"/> in <see cref="Setup"/> and verified there like the others.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class OllamaStreamingBenchmarks
{
    private const string Model = "llama3.1";
    private static readonly Uri s_endpoint = new("http://localhost:11434");
    private static readonly Uri s_chat = new("http://localhost:11434/api/chat");

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "hello")];
    private HttpClient _http = null!;
    private IChatClient _ollamaSharp = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new MemoryHttpHandler(Payloads.Load("ollama/stream-text-length.ndjson"), "application/x-ndjson"))
        {
            BaseAddress = s_endpoint,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _ollamaSharp = new OllamaApiClient(_http, Model);

        var expected = new ChatAnswer("Hello! How are you today? Is there something I can help you with or would you like to", null, 11, 20);
        Floor().GetAwaiter().GetResult().Verify(expected, nameof(Floor));
        OllamaSharp().GetAwaiter().GetResult().Verify(expected, nameof(OllamaSharp));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ollamaSharp.Dispose();
        _http.Dispose();
    }

    /// <summary>Floor: HttpClient + Utf8JsonReader per NDJSON line, text and usage only, no string per line.</summary>
    [Benchmark(Baseline = true)]
    public async Task<ChatAnswer> Floor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, s_chat)
        {
            Content = new StringContent("""{"model":"llama3.1","messages":[{"role":"user","content":"hello"}],"stream":true}""", Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();

        var text = new StringBuilder();
        var chars = new char[256];
        long? input = null, output = null;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int filled = 0, read;
            while ((read = await body.ReadAsync(buffer.AsMemory(filled))) > 0 || filled > 0)
            {
                filled += read;
                var consumed = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', consumed, filled - consumed)) >= 0 || (read == 0 && consumed < filled))
                {
                    var end = newline >= 0 ? newline : filled;
                    ReadLine(buffer.AsSpan(consumed, end - consumed), text, ref chars, ref input, ref output);
                    consumed = end + 1;
                }

                filled = Math.Max(0, filled - consumed);
                Buffer.BlockCopy(buffer, Math.Min(consumed, buffer.Length), buffer, 0, filled);
                if (read == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }

    /// <summary>Peer: OllamaSharp 5.5.2's <c>IChatClient</c>.</summary>
    [Benchmark]
    public Task<ChatAnswer> OllamaSharp() => Answers.FromStreamAsync(_ollamaSharp.GetStreamingResponseAsync(_messages));

    private static void ReadLine(ReadOnlySpan<byte> line, StringBuilder text, ref char[] chars, ref long? input, ref long? output)
    {
        if (line.Trim((byte)'\r').IsEmpty)
        {
            return;
        }

        var reader = new Utf8JsonReader(line);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (chars.Length < reader.ValueSpan.Length)
                {
                    chars = new char[reader.ValueSpan.Length];
                }

                text.Append(chars, 0, reader.CopyString(chars));
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8))
            {
                reader.Read();
                input = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("eval_count"u8))
            {
                reader.Read();
                output = reader.GetInt64();
            }
        }
    }
}
