// Licensed under the MIT License.

using System.Buffers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The floor of the peer rows: <see cref="HttpClient"/> + <see cref="SseParser"/> + <see cref="Utf8JsonReader"/> on each
/// event's UTF-8 bytes, copying the text straight into one <see cref="StringBuilder"/> and reading the usage numbers, with
/// no string, document or object per event. Nothing useful can read a stream for less.
/// </summary>
internal static class FloorReader
{
    /// <summary>An Anthropic Messages stream: <c>text</c> of the deltas, <c>input_tokens</c> and <c>output_tokens</c>.</summary>
    public static Task<ChatAnswer> AnthropicStreamAsync(HttpClient http, Uri uri, string model, string prompt, string apiKey) =>
        StreamAsync(http, BareAnthropic.CreateRequest(uri, model, prompt, apiKey, stream: true), "text"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray());

    /// <summary>An OpenAI Chat Completions stream: <c>content</c> of the deltas, <c>prompt_tokens</c> and <c>completion_tokens</c>.</summary>
    public static Task<ChatAnswer> OpenAIStreamAsync(HttpClient http, Uri uri, string model, string prompt, string? apiKey) =>
        StreamAsync(http, BareOpenAI.CreateRequest(uri, model, prompt, apiKey, stream: true), "content"u8.ToArray(), "prompt_tokens"u8.ToArray(), "completion_tokens"u8.ToArray());

    /// <summary>
    /// The floor plus what the <see cref="IChatClient"/> contract alone requires of an OpenAI stream: the same reader, but each
    /// text event becomes one <see cref="ChatResponseUpdate"/> with its <see cref="TextContent"/> (and the usage one
    /// <see cref="UsageContent"/>), yielded through an async iterator. No adapter can stream through the contract for less.
    /// </summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> OpenAIUpdatesAsync(
        HttpClient http, Uri uri, string model, string prompt, string? apiKey, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = BareOpenAI.CreateRequest(uri, model, prompt, apiKey, stream: true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body, ParseUpdate).EnumerateAsync(cancellationToken))
        {
            if (item.Data is { } update)
            {
                yield return update;
            }
        }
    }

    /// <summary>Any SSE dialect: the named text member's strings, the last values of the two named usage members.</summary>
    public static Task<ChatAnswer> SseStreamAsync(HttpClient http, HttpRequestMessage request, byte[] textName, byte[] inputName, byte[] outputName) =>
        StreamAsync(http, request, textName, inputName, outputName);

    /// <summary>
    /// The floor plus what the <see cref="IChatClient"/> contract alone requires of any SSE dialect: one
    /// <see cref="ChatResponseUpdate"/> with its <see cref="TextContent"/> per event with non-empty text, through an async
    /// iterator, and one <see cref="UsageContent"/> with the last counts at the end.
    /// </summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> SseUpdatesAsync(
        HttpClient http, HttpRequestMessage request, byte[] textName, byte[] inputName, byte[] outputName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var state = new UpdateState(textName, inputName, outputName);
            await foreach (var item in SseParser.Create(body, state.Parse).EnumerateAsync(cancellationToken))
            {
                if (item.Data is { } update)
                {
                    yield return update;
                }
            }

            yield return state.Usage();
        }
    }

    /// <summary>Any NDJSON dialect (Ollama): as <see cref="SseStreamAsync"/>, one line at a time from a pooled buffer.</summary>
    public static async Task<ChatAnswer> NdjsonStreamAsync(HttpClient http, HttpRequestMessage request, byte[] textName, byte[] inputName, byte[] outputName)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var body = await response.Content.ReadAsStreamAsync();
            var state = new State(textName, inputName, outputName);
            var lines = new LineBuffer();
            try
            {
                while (await lines.FillAsync(body, default))
                {
                    while (lines.TryTake(out var start, out var length))
                    {
                        state.Parse(string.Empty, lines.Span(start, length));
                    }
                }
            }
            finally
            {
                lines.Return();
            }

            return new ChatAnswer(state.Text.ToString(), null, state.Input, state.Output);
        }
    }

    /// <summary>The NDJSON floor plus the contract's minimum, as <see cref="SseUpdatesAsync"/>.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> NdjsonUpdatesAsync(
        HttpClient http, HttpRequestMessage request, byte[] textName, byte[] inputName, byte[] outputName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var state = new UpdateState(textName, inputName, outputName);
            var lines = new LineBuffer();
            try
            {
                while (await lines.FillAsync(body, cancellationToken))
                {
                    while (lines.TryTake(out var start, out var length))
                    {
                        if (state.Parse(string.Empty, lines.Span(start, length)) is { } update)
                        {
                            yield return update;
                        }
                    }
                }
            }
            finally
            {
                lines.Return();
            }

            yield return state.Usage();
        }
    }

    private static ChatResponseUpdate? ParseUpdate(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != (byte)'{')
        {
            return null;
        }

        string? text = null;
        long? input = null, output = null;
        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                reader.Read();
                input = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                reader.Read();
                output = reader.GetInt64();
            }
        }

        return text is not null ? new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(text)])
            : input is not null ? new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new() { InputTokenCount = input, OutputTokenCount = output })])
            : null;
    }

    private static async Task<ChatAnswer> StreamAsync(HttpClient http, HttpRequestMessage request, byte[] textName, byte[] inputName, byte[] outputName)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var body = await response.Content.ReadAsStreamAsync();
            var state = new State(textName, inputName, outputName);
            await foreach (var _ in SseParser.Create(body, state.Parse).EnumerateAsync())
            {
            }

            return new ChatAnswer(state.Text.ToString(), null, state.Input, state.Output);
        }
    }

    private sealed class State(byte[] textName, byte[] inputName, byte[] outputName)
    {
        private char[] _chars = new char[256];

        public StringBuilder Text { get; } = new();

        public long? Input { get; private set; }

        public long? Output { get; private set; }

        public bool Parse(string eventType, ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty || data[0] != (byte)'{')
            {
                return false; // [DONE], pings without a body
            }

            var reader = new Utf8JsonReader(data);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals(textName))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                        if (_chars.Length < length)
                        {
                            _chars = new char[Math.Max(length, _chars.Length * 2)];
                        }

                        Text.Append(_chars, 0, reader.CopyString(_chars));
                    }
                }
                else if (reader.ValueTextEquals(inputName))
                {
                    reader.Read();
                    Input = reader.GetInt64();
                }
                else if (reader.ValueTextEquals(outputName))
                {
                    reader.Read();
                    Output = reader.GetInt64();
                }
            }

            return false;
        }
    }

    /// <summary>Reads each event's text into one update, and keeps the last usage counts as numbers.</summary>
    private sealed class UpdateState(byte[] textName, byte[] inputName, byte[] outputName)
    {
        private long? _input;
        private long? _output;

        public ChatResponseUpdate Usage() => new(ChatRole.Assistant, [new UsageContent(new() { InputTokenCount = _input, OutputTokenCount = _output })]);

        public ChatResponseUpdate? Parse(string eventType, ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty || data[0] != (byte)'{')
            {
                return null;
            }

            string? text = null;
            var reader = new Utf8JsonReader(data);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals(textName))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                    {
                        text = reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals(inputName))
                {
                    reader.Read();
                    _input = reader.GetInt64();
                }
                else if (reader.ValueTextEquals(outputName))
                {
                    reader.Read();
                    _output = reader.GetInt64();
                }
            }

            return text is null ? null : new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(text)]);
        }
    }

    /// <summary>Newline-delimited lines from a pooled buffer, without a string per line.</summary>
    private sealed class LineBuffer
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        private int _start;
        private int _end;
        private bool _ended;

        public ReadOnlySpan<byte> Span(int start, int length) => _buffer.AsSpan(start, length);

        public async ValueTask<bool> FillAsync(Stream stream, CancellationToken cancellationToken)
        {
            if (_ended)
            {
                return false;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _ended = read == 0;
            _end += read;
            return true;
        }

        public bool TryTake(out int start, out int length)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline < 0 && !(_ended && _start < _end))
            {
                (start, length) = (0, 0);
                return false;
            }

            var end = newline < 0 ? _end : newline;
            (start, length) = (_start, end - _start);
            _start = newline < 0 ? _end : newline + 1;
            return true;
        }

        public void Return() => ArrayPool<byte>.Shared.Return(_buffer);
    }
}
