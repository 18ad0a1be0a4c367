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
}
