// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Tests.Conformance;

/// <summary>The conformance suite over the emulator's Anthropic dialect, through real HTTP: always run.</summary>
public sealed class AnthropicEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "anthropic";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new AnthropicChatClient(
            new AnthropicChatClientOptions { Endpoint = emulator.AnthropicEndpoint, ApiKey = "sk-ant-emulator", Model = "claude-haiku-4-5" },
            http);
}
