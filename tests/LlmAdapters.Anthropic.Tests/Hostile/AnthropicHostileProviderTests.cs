// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Tests.Hostile;

/// <summary>The hostile-provider suite on the Anthropic adapter.</summary>
public sealed class AnthropicHostileProviderTests : HostileProviderTests
{
    protected override string ProviderName => "anthropic";

    protected override Uri Endpoint(Uri baseAddress) => baseAddress;

    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new AnthropicChatClient(new AnthropicChatClientOptions { Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" }, httpClient);

    protected override string ErrorBody(string message, string type) =>
        $$$"""{"type":"error","error":{"type":"{{{type}}}","message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}}}}""";

    protected override string StreamChunk(string text) =>
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        $$$"""event: content_block_delta{{{"\n"}}}data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{text}}}"}}""" + "\n\n";

    protected override IEnumerable<string> WrongShapeBodies =>
        [.. base.WrongShapeBodies, """{"content":null}""",
         """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""];
}
