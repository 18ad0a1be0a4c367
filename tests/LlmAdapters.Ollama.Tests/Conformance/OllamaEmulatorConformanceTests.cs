// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Ollama.Tests.Conformance;

/// <summary>The conformance suite over the emulator's Ollama dialect, through real HTTP: always run.</summary>
public sealed class OllamaEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "ollama";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new OllamaChatClient(new OllamaChatClientOptions { Endpoint = emulator.OllamaEndpoint, Model = "llama3.2" }, http);
}
