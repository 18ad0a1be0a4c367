// Licensed under the MIT License.

using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The floor of the peer rows: <see cref="HttpClient"/> + <see cref="SseParser"/> + <see cref="Utf8JsonReader"/> on each
/// event's UTF-8 bytes, copying the text straight into one <see cref="StringBuilder"/> and reading the usage numbers, with
/// no string, document or object per event. Nothing useful can read a stream for less.
/// </summary>
internal static class FloorReader
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    /// <summary>An Anthropic Messages stream: <c>text</c> of the deltas, <c>input_tokens</c> and <c>output_tokens</c>.</summary>
    public static Task<ChatAnswer> AnthropicStreamAsync(HttpClient http, Uri uri, string model, string prompt, string apiKey)
    {
        var request = CreateRequest(uri, model, prompt, stream: true);
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return StreamAsync(http, request, "text"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray());
    }

    /// <summary>An OpenAI Chat Completions stream: <c>content</c> of the deltas, <c>prompt_tokens</c> and <c>completion_tokens</c>.</summary>
    public static Task<ChatAnswer> OpenAIStreamAsync(HttpClient http, Uri uri, string model, string prompt, string? apiKey)
    {
        var request = CreateRequest(uri, model, prompt, stream: true);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        }

        return StreamAsync(http, request, "content"u8.ToArray(), "prompt_tokens"u8.ToArray(), "completion_tokens"u8.ToArray());
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

    private static HttpRequestMessage CreateRequest(Uri uri, string model, string prompt, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteNumber("max_tokens", 4096);
            writer.WriteStartArray("messages");
            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WriteString("content", prompt);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteBoolean("stream", stream);
            if (stream)
            {
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(buffer.WrittenMemory) };
        request.Content.Headers.ContentType = s_json;
        request.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        return request;
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
}
