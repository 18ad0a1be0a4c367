// Licensed under the MIT License.

using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The baseline Anthropic client: a request written with <see cref="Utf8JsonWriter"/>, <see cref="HttpClient"/>,
/// <see cref="SseParser"/> and <see cref="JsonDocument"/> pulling out the text deltas, the first tool call and the
/// usage (message_start's, then message_delta's output tokens); no error mapping, no object model.
/// </summary>
internal static class BareAnthropic
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    public static async Task<ChatAnswer> StreamAsync(HttpClient http, Uri messagesUri, string model, string prompt, string apiKey)
    {
        using var request = CreateRequest(messagesUri, model, prompt, apiKey, stream: true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();
        var text = new StringBuilder();
        long? input = null, output = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            using var document = JsonDocument.Parse(item.Data);
            var root = document.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "message_start":
                    var startUsage = root.GetProperty("message").GetProperty("usage");
                    input = startUsage.GetProperty("input_tokens").GetInt64();
                    output = startUsage.GetProperty("output_tokens").GetInt64();
                    break;
                case "content_block_delta":
                    var delta = root.GetProperty("delta");
                    if (delta.GetProperty("type").ValueEquals("text_delta"))
                    {
                        text.Append(delta.GetProperty("text").GetString());
                    }

                    break;
                case "message_delta":
                    if (root.TryGetProperty("usage", out var usage) && usage.TryGetProperty("output_tokens", out var outputTokens))
                    {
                        output = outputTokens.GetInt64();
                    }

                    break;
            }
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }

    public static async Task<ChatAnswer> CompleteAsync(HttpClient http, Uri messagesUri, string model, string prompt, string apiKey)
    {
        using var request = CreateRequest(messagesUri, model, prompt, apiKey, stream: false);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();
        using var document = await JsonDocument.ParseAsync(body);
        var root = document.RootElement;
        var text = new StringBuilder();
        string? toolCall = null;
        foreach (var block in root.GetProperty("content").EnumerateArray())
        {
            switch (block.GetProperty("type").GetString())
            {
                case "text":
                    text.Append(block.GetProperty("text").GetString());
                    break;
                case "tool_use" when toolCall is null:
                    // Materialize the arguments, as an adapter must.
                    var arguments = new Dictionary<string, object?>();
                    foreach (var property in block.GetProperty("input").EnumerateObject())
                    {
                        arguments[property.Name] = property.Value.Clone();
                    }

                    toolCall = $"{block.GetProperty("name").GetString()}#{block.GetProperty("id").GetString()}#{arguments.Count}";
                    break;
            }
        }

        var usage = root.GetProperty("usage");
        return new ChatAnswer(text.ToString(), toolCall, usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
    }

    internal static HttpRequestMessage CreateRequest(Uri uri, string model, string prompt, string apiKey, bool stream)
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
            if (stream)
            {
                writer.WriteBoolean("stream", true);
            }

            writer.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(buffer.WrittenMemory) };
        request.Content.Headers.ContentType = s_json;
        request.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return request;
    }
}
