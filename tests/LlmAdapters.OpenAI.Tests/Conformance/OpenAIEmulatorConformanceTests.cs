// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Conformance;

/// <summary>The conformance suite over the emulator's OpenAI dialect, through real HTTP: always run.</summary>
public sealed class OpenAIEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "vllm";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions { ProviderName = "vllm", Endpoint = emulator.OpenAIEndpoint, Model = "emulator-1" },
            http);
}
