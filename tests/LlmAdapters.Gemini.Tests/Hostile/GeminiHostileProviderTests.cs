// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Tests.Hostile;

/// <summary>The hostile-provider suite on the Gemini adapter.</summary>
public sealed class GeminiHostileProviderTests : HostileProviderTests
{
    protected override string ProviderName => "gemini";

    protected override Uri Endpoint(Uri baseAddress) => baseAddress;

    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new GeminiChatClient(new GeminiChatClientOptions { Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" }, httpClient);

    // Gemini's envelope is Google's: {"error":{"code","message","status"}}; the suite's error types map to its statuses.
    protected override string ErrorBody(string message, string type)
    {
        var (code, status) = type switch
        {
            "authentication_error" => (401, "UNAUTHENTICATED"),
            "rate_limit_error" => (429, "RESOURCE_EXHAUSTED"),
            _ => (500, "INTERNAL"),
        };
        return $$$"""{"error":{"code":{{{code}}},"message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}},"status":"{{{status}}}"}}""";
    }

    // A candidate without finishReason: the stream is not over after it.
    protected override string StreamChunk(string text) =>
        $$$"""data: {"candidates":[{"content":{"parts":[{"text":"{{{text}}}"}],"role":"model"},"index":0}],"modelVersion":"hostile-model"}""" + "\n\n";

    protected override IEnumerable<string> WrongShapeBodies =>
        [.. base.WrongShapeBodies, """{"candidates":null}""",
         """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""];

    protected override string ResponseBody(string text) =>
        $$$"""{"candidates":[{"content":{"parts":[{"text":"{{{text}}}"}],"role":"model"},"finishReason":"STOP","index":0}],"modelVersion":"hostile-model"}""";

    protected override string StreamFinish(bool length) =>
        $$$"""data: {"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"{{{(length ? "MAX_TOKENS" : "STOP")}}}","index":0}],"modelVersion":"hostile-model"}""" + "\n\n";

    protected override string ToolCallBody(string arguments) =>
        $$$"""{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{{{arguments}}}}}],"role":"model"},"finishReason":"STOP","index":0}],"modelVersion":"hostile-model"}""";

    protected override string ToolCallStream(string arguments) => "data: " + ToolCallBody(arguments) + "\n\n";

    protected override IEnumerable<string> NoResultBodies =>
        ["""{"candidates":[]}""", """{"candidates":[{"content":{"parts":[],"role":"model"},"index":0}],"modelVersion":"hostile-model"}"""];
}
