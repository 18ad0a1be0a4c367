// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.DashScope.Tests.Conformance;

/// <summary>The conformance suite over the emulator's DashScope dialect, through real HTTP: always run.</summary>
public sealed class DashScopeEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "dashscope-native";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new DashScopeChatClient(new DashScopeChatClientOptions { Endpoint = emulator.DashScopeEndpoint, ApiKey = "sk-emulator", Model = "qwen-plus" }, http);
}
