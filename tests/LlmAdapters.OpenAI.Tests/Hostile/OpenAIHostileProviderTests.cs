// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Hostile;

/// <summary>The hostile-provider suite on the OpenAI-compatible adapter.</summary>
public sealed class OpenAIHostileProviderTests : HostileProviderTests
{
    protected override string ProviderName => "vllm";

    protected override Uri Endpoint(Uri baseAddress) => new(baseAddress, "v1");

    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new OpenAICompatibleChatClient(new OpenAICompatibleChatClientOptions { ProviderName = ProviderName, Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" }, httpClient);

    protected override string ErrorBody(string message, string type) =>
        $$$"""{"error":{"message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}},"type":"{{{type}}}","code":null}}""";

    protected override string StreamChunk(string text) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"{{{text}}}"},"finish_reason":null}]}""" + "\n\n";

    protected override IEnumerable<string> WrongShapeChunks =>
        [.. base.WrongShapeChunks, "data: {\"choices\":\"x\"}\n\n", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":42}}]}\n\n"];

    protected override IEnumerable<string> WrongShapeBodies =>
        [.. base.WrongShapeBodies, """{"choices":[]}""", """{"choices":"x"}""",
         """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":42},"finish_reason":"stop"}]}"""];
}
