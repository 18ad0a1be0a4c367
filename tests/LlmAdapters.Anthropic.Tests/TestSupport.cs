// Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Tests;

/// <summary>Builds clients and reads fixtures for the Anthropic tests.</summary>
internal static class TestSupport
{
    public const string ApiKey = "sk-ant-test-0123456789abcdef";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static AnthropicChatClient CreateClient(HttpMessageHandler handler, Action<AnthropicChatClientOptions>? configure = null)
    {
        var options = new AnthropicChatClientOptions { ApiKey = ApiKey, Model = "claude-haiku-4-5" };
        configure?.Invoke(options);
        return new AnthropicChatClient(options, new HttpClient(handler));
    }

    public static VerbatimHttpHandler JsonHandler(string? expectedRequest, string responseFixture) =>
        new(expectedRequest, Fixture.Bytes("anthropic/" + responseFixture));

    public static VerbatimHttpHandler SseHandler(string? expectedRequest, string sseFixture) =>
        new(expectedRequest, Fixture.Bytes("anthropic/" + sseFixture), "text/event-stream");

    public static string Request(string name) => Fixture.Text("anthropic/" + name + ".request.json");

    /// <summary>Removes members from every object of a JSON document (e.g. response-only members echoed in a recorded request).</summary>
    public static string Without(string json, params string[] names)
    {
        var node = JsonNode.Parse(json)!;
        Strip(node, names);
        return node.ToJsonString();
    }

    public static AIFunctionDeclaration ToolFrom(string requestFixture, int index = 0)
    {
        var tool = JsonNode.Parse(Request(requestFixture))!["tools"]![index]!;
        var schema = JsonSerializer.SerializeToElement(tool["input_schema"], AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonNode)));
        return AIFunctionFactory.CreateDeclaration((string)tool["name"]!, (string?)tool["description"] ?? string.Empty, schema);
    }

    public static JsonElement SchemaFrom(string requestFixture)
    {
        var schema = JsonNode.Parse(Request(requestFixture))!["output_config"]!["format"]!["schema"]!;
        return JsonDocument.Parse(schema.ToJsonString()).RootElement.Clone();
    }

    /// <summary>Answers with a recorded error exchange ({status, headers, body}).</summary>
    public static StubHttpHandler ErrorHandler(string fixture, Action<HttpResponseMessage>? adjust = null)
    {
        var recorded = JsonNode.Parse(Fixture.Text("anthropic/" + fixture))!;
        return new StubHttpHandler(request =>
        {
            var response = new HttpResponseMessage((HttpStatusCode)(int)recorded["status"]!)
            {
                Content = new StringContent(recorded["body"]!.ToJsonString(), Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            foreach (var (name, value) in recorded["headers"]!.AsObject())
            {
                if (!response.Headers.TryAddWithoutValidation(name, (string?)value))
                {
                    response.Content.Headers.Remove(name);
                    response.Content.Headers.TryAddWithoutValidation(name, (string?)value);
                }
            }

            adjust?.Invoke(response);
            return response;
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

    private static void Strip(JsonNode? node, string[] names)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in names)
                {
                    obj.Remove(name);
                }

                foreach (var (_, child) in obj)
                {
                    Strip(child, names);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child, names);
                }

                break;
        }
    }
}
