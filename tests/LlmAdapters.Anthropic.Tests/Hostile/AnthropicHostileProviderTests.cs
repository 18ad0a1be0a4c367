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

    protected override string ResponseBody(string text) =>
        $$$"""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}""";

    protected override string StreamFinish(bool length) =>
        $$$"""event: message_delta{{{"\n"}}}data: {"type":"message_delta","delta":{"stop_reason":"{{{(length ? "max_tokens" : "end_turn")}}}"},"usage":{"output_tokens":1}}""" + "\n\n";

    protected override string StreamDone => "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    protected override string ToolCallBody(string arguments) =>
        $$$"""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{{{arguments}}}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}""";

    protected override string ToolCallStream(string arguments) =>
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n" +
        $$$"""event: content_block_delta{{{"\n"}}}data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":{{{System.Text.Json.JsonSerializer.Serialize(arguments)}}}}}""" + "\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":1}}\n\n" + StreamDone;

    protected override IEnumerable<string> NoResultBodies =>
        ["""{"content":[]}""", """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":0}}"""];

    protected override IEnumerable<string> NoResultStreams =>
        ["event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n" + StreamDone];
}
