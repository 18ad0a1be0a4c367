// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Tests.Conformance;

/// <summary>
/// The conformance suite against a real Ollama: opt in by setting <c>OLLAMA_ENDPOINT</c> (e.g. http://localhost:11434) and
/// <c>OLLAMA_MODEL</c> (a pulled model that takes tools, default llama3.2), and <c>OLLAMA_API_KEY</c> for a hosted one; skipped otherwise.
/// </summary>
public sealed class OllamaLiveConformanceTests : ChatClientConformanceTests
{
    protected override string ExpectedProviderName => "ollama";

    protected override IChatClient? CreateClient(out string skipReason)
    {
        var endpoint = Environment.GetEnvironmentVariable("OLLAMA_ENDPOINT");
        skipReason = "Set OLLAMA_ENDPOINT (and OLLAMA_MODEL) to run the live Ollama conformance tests.";
        return string.IsNullOrEmpty(endpoint) ? null : new OllamaChatClient(new OllamaChatClientOptions
        {
            Endpoint = new Uri(endpoint),
            ApiKey = Environment.GetEnvironmentVariable("OLLAMA_API_KEY"),
            Model = Environment.GetEnvironmentVariable("OLLAMA_MODEL") ?? "llama3.2",
        });
    }
}
