// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Tests;

/// <summary>Builds clients and reads fixtures for the Ollama tests.</summary>
internal static class TestSupport
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static OllamaChatClient CreateClient(HttpMessageHandler handler, Action<OllamaChatClientOptions>? configure = null)
    {
        var options = new OllamaChatClientOptions { Model = "llama3.2" };
        configure?.Invoke(options);
        return new OllamaChatClient(options, new HttpClient(handler));
    }

    public static VerbatimHttpHandler JsonHandler(string? expectedRequest, string responseFixture) =>
        new(expectedRequest, Fixture.Bytes("ollama/" + responseFixture));

    public static VerbatimHttpHandler NdjsonHandler(string? expectedRequest, string fixture) =>
        new(expectedRequest, Fixture.Bytes("ollama/" + fixture), "application/x-ndjson");

    public static string Request(string name) => Fixture.Text("ollama/" + name + ".request.json");

    public static AIFunctionDeclaration ToolFrom(string requestFixture, int index = 0)
    {
        var function = JsonNode.Parse(Request(requestFixture))!["tools"]![index]!["function"]!;
        var schema = JsonDocument.Parse(function["parameters"]!.ToJsonString()).RootElement.Clone();
        return AIFunctionFactory.CreateDeclaration((string)function["name"]!, (string?)function["description"] ?? string.Empty, schema);
    }

    public static StubHttpHandler Respond(HttpStatusCode status, string body, string contentType = "application/json") =>
        new(request => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType), RequestMessage = request });

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
}
