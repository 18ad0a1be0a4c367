// Licensed under the MIT License.

using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The baseline OpenAI client: what a hand-written caller does with no abstraction. A request written with
/// <see cref="Utf8JsonWriter"/>, <see cref="HttpClient"/>, <see cref="SseParser"/> and <see cref="JsonDocument"/>
/// pulling out <c>delta.content</c> and <c>usage</c>; no error mapping, no object model.
/// </summary>
internal static class BareOpenAI
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public static async Task<ChatAnswer> StreamAsync(HttpClient http, Uri chatCompletionsUri, string model, string prompt, string? apiKey)
    {
        using var request = CreateRequest(chatCompletionsUri, model, prompt, apiKey, stream: true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();
        var text = new StringBuilder();
        long? input = null, output = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            if (item.Data == "[DONE]")
            {
                break;
            }

            using var document = JsonDocument.Parse(item.Data);
            var root = document.RootElement;
            foreach (var choice in root.GetProperty("choices").EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                input = usage.GetProperty("prompt_tokens").GetInt64();
                output = usage.GetProperty("completion_tokens").GetInt64();
            }
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }

    public static async Task<ChatAnswer> CompleteAsync(HttpClient http, Uri chatCompletionsUri, string model, string prompt, string? apiKey)
    {
        using var request = CreateRequest(chatCompletionsUri, model, prompt, apiKey, stream: false);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();
        using var document = await JsonDocument.ParseAsync(body);
        var root = document.RootElement;
        var message = root.GetProperty("choices")[0].GetProperty("message");
        var usage = root.GetProperty("usage");
        return new ChatAnswer(
            message.GetProperty("content").GetString() ?? string.Empty,
            null,
            usage.GetProperty("prompt_tokens").GetInt64(),
            usage.GetProperty("completion_tokens").GetInt64());
    }

    internal static HttpRequestMessage CreateRequest(Uri uri, string model, string prompt, string? apiKey, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteStartArray("messages");
            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WriteString("content", prompt);
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (stream)
            {
                writer.WriteBoolean("stream", true);
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(buffer.WrittenMemory) };
        request.Content.Headers.ContentType = s_json;
        request.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return request;
    }
}
