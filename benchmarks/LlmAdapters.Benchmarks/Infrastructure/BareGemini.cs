// Licensed under the MIT License.

using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The baseline Gemini client: a request written with <see cref="Utf8JsonWriter"/>, <see cref="HttpClient"/>, <see cref="SseParser"/>
/// and <see cref="JsonDocument"/> pulling out the text parts and the last chunk's usage; no error mapping, no object model.
/// </summary>
internal static class BareGemini
{
    /// <summary>The streaming request, its body written with <see cref="Utf8JsonWriter"/>.</summary>
    public static HttpRequestMessage CreateRequest(Uri streamUri, string prompt, string apiKey)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("contents");
            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WriteStartArray("parts");
            writer.WriteStartObject();
            writer.WriteString("text", prompt);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, streamUri) { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("x-goog-api-key", apiKey);
        return request;
    }

    public static async Task<ChatAnswer> StreamAsync(HttpClient http, Uri streamUri, string prompt, string apiKey)
    {
        using var request = CreateRequest(streamUri, prompt, apiKey);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var body = await response.Content.ReadAsStreamAsync();
        var text = new StringBuilder();
        long? input = null, output = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            using var document = JsonDocument.Parse(item.Data);
            var root = document.RootElement;
            foreach (var part in root.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
            {
                if (part.TryGetProperty("text", out var piece))
                {
                    text.Append(piece.GetString());
                }
            }

            if (root.TryGetProperty("usageMetadata", out var usage))
            {
                input = usage.TryGetProperty("promptTokenCount", out var p) ? p.GetInt64() : input;
                output = usage.TryGetProperty("candidatesTokenCount", out var c) ? c.GetInt64() : output;
            }
        }

        return new ChatAnswer(text.ToString(), null, input, output);
    }
}
