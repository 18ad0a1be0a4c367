// Licensed under the MIT License.

using LlmAdapters.TestUtilities.Hostile;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Tests.Hostile;

/// <summary>The hostile-provider suite on the native Ollama adapter.</summary>
public sealed class OllamaHostileProviderTests : HostileProviderTests
{
    protected override string ProviderName => "ollama";

    protected override Uri Endpoint(Uri baseAddress) => baseAddress;

    protected override IChatClient CreateRawClient(Uri endpoint, string apiKey, HttpClient httpClient) =>
        new OllamaChatClient(new OllamaChatClientOptions { Endpoint = endpoint, ApiKey = apiKey, Model = "hostile-model" }, httpClient);

    // Ollama's envelope is {"error":"…"}; the kind comes from the status the suite answers with.
    protected override string ErrorBody(string message, string type) =>
        $$"""{"error":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""";

    // One NDJSON line that is not the last (done is false): the stream is not over after it.
    protected override string StreamChunk(string text) =>
        $$"""{"model":"hostile-model","message":{"role":"assistant","content":"{{text}}"},"done":false}""" + "\n";

    protected override string ResponseBody(string text) =>
        $$"""{"model":"hostile-model","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"{{text}}"},"done":true,"done_reason":"stop"}""";

    protected override string StreamFinish(bool length) =>
        $$"""{"model":"hostile-model","message":{"role":"assistant","content":""},"done":true,"done_reason":"{{(length ? "length" : "stop")}}"}""" + "\n";

    protected override string ToolCallBody(string arguments) =>
        """{"model":"hostile-model","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":""" + arguments + """}}]},"done":true,"done_reason":"stop"}""";

    protected override string ToolCallStream(string arguments) =>
        """{"model":"hostile-model","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":""" + arguments + """}}]},"done":false}""" + "\n" + StreamFinish(length: false);

    protected override IEnumerable<string> NoResultBodies =>
        ["""{"message":null,"done":true}""", """{"model":"hostile-model","done":true}"""];

    protected override IEnumerable<string> NoResultStreams =>
        ["""{"model":"hostile-model","message":null,"done":true}""" + "\n"];

    protected override string StreamEvent(string json) => json + "\n";

    // NDJSON has no comments: a blank line is what the reader skips.
    protected override string KeepAlive => "\n";
}
