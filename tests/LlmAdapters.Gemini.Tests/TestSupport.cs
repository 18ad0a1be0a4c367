// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Tests;

/// <summary>Builds clients and reads fixtures for the Gemini tests.</summary>
internal static class TestSupport
{
    public const string ApiKey = "AIzaSyTest-0123456789abcdefghijklmn";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static GeminiChatClient CreateClient(HttpMessageHandler handler, Action<GeminiChatClientOptions>? configure = null)
    {
        var options = new GeminiChatClientOptions { ApiKey = ApiKey, Model = "gemini-2.0-flash", Endpoint = new Uri("https://gemini.test") };
        configure?.Invoke(options);
        return new GeminiChatClient(options, new HttpClient(handler));
    }

    public static VerbatimHttpHandler JsonHandler(string responseFixture) => new(null, Fixture.Bytes("gemini/" + responseFixture));

    public static VerbatimHttpHandler SseHandler(string sseFixture) => new(null, Fixture.Bytes("gemini/" + sseFixture), "text/event-stream");

    public static JsonNode RecordedRequest(string name) => JsonNode.Parse(Fixture.Text("gemini/" + name + ".request.json"))!;

    public static JsonNode Body(VerbatimHttpHandler handler) => JsonNode.Parse(handler.LastRequestBody!)!;

    /// <summary>Answers with a recorded error exchange ({status, headers, body}), with the content type the test asks for.</summary>
    public static StubHttpHandler ErrorHandler(string fixture, string? contentType = null)
    {
        var recorded = JsonNode.Parse(Fixture.Text("gemini/" + fixture))!;
        return new StubHttpHandler(request => new HttpResponseMessage((HttpStatusCode)(int)recorded["status"]!)
        {
            Content = new StringContent(recorded["body"]!.ToJsonString(), Encoding.UTF8, contentType ?? "application/json"),
            RequestMessage = request,
        });
    }

    public static StubHttpHandler Respond(HttpStatusCode status, string body, string contentType = "application/json", Action<HttpResponseMessage>? adjust = null) =>
        new(request =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType), RequestMessage = request };
            adjust?.Invoke(response);
            return response;
        });

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    public static string Args(FunctionCallContent call) =>
        JsonSerializer.SerializeToNode(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)))!.ToJsonString();

    public static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}, got {actual?.ToJsonString()}");
}
