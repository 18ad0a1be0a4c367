// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.OpenAI.Native;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>The conformance suite over the emulator's OpenAI dialect, through real HTTP, on the native implementation.</summary>
public sealed class OpenAINativeEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "vllm";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new OpenAIChatCompletionsClient(
            new OpenAIChatCompletionsClientOptions
            {
                Common = new OpenAICompatibleChatClientOptions { ProviderName = "vllm", Endpoint = emulator.OpenAIEndpoint, Model = "emulator-1" },
            },
            http);
}
