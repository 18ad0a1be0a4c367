// Licensed under the MIT License.

namespace LlmAdapters.TestUtilities.Hostile;

/// <summary>
/// The hostile-provider suite's answers in OpenAI's Chat Completions dialect (errors, chunks, finishes, tool calls, bodies
/// without a result), shared by every client of that dialect: the OpenAI-compatible adapter on each implementation, and
/// the gateway with such a provider behind it.
/// </summary>
public abstract class OpenAIDialectHostileProviderTests : HostileProviderTests
{
    /// <inheritdoc/>
    protected override string ProviderName => "vllm";

    /// <inheritdoc/>
    protected override Uri Endpoint(Uri baseAddress) => new(baseAddress, "v1");

    /// <inheritdoc/>
    protected override string ErrorBody(string message, string type) =>
        $$$"""{"error":{"message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}},"type":"{{{type}}}","code":null}}""";

    /// <inheritdoc/>
    protected override string StreamChunk(string text) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"{{{text}}}"},"finish_reason":null}]}""" + "\n\n";

    /// <inheritdoc/>
    protected override IEnumerable<string> WrongShapeChunks =>
        [.. base.WrongShapeChunks, "data: {\"choices\":\"x\"}\n\n", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":42}}]}\n\n"];

    /// <inheritdoc/>
    protected override IEnumerable<string> WrongShapeBodies =>
        [.. base.WrongShapeBodies, """{"choices":[]}""", """{"choices":"x"}""",
         """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":42},"finish_reason":"stop"}]}"""];

    /// <inheritdoc/>
    protected override string ResponseBody(string text) =>
        $$$"""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    /// <inheritdoc/>
    protected override string StreamFinish(bool length) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"{{{(length ? "length" : "stop")}}}"}]}""" + "\n\n";

    /// <inheritdoc/>
    protected override string StreamDone => "data: [DONE]\n\n";

    /// <inheritdoc/>
    /// <remarks>Chat Completions carries the arguments as a JSON string holding JSON text.</remarks>
    protected override string ToolCallBody(string arguments) =>
        $$$"""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":{{{System.Text.Json.JsonSerializer.Serialize(arguments)}}}}}]},"finish_reason":"tool_calls"}]}""";

    /// <inheritdoc/>
    protected override string ToolCallStream(string arguments) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":{{{System.Text.Json.JsonSerializer.Serialize(arguments)}}}}}]},"finish_reason":null}]}""" + "\n\n" +
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""" + "\n\n" + StreamDone;

    /// <inheritdoc/>
    protected override IEnumerable<string> NoResultBodies =>
        ["""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[]}""",
         """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null}}]}"""];
}
