// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Tests.Conformance;

/// <summary>The conformance suite over the emulator's Gemini dialect, through real HTTP: always run.</summary>
public sealed class GeminiEmulatorConformanceTests : EmulatorConformanceTests
{
    protected override string ExpectedProviderName => "gcp.gemini";

    protected override IChatClient CreateClient(EmulatorServer emulator, HttpClient http) =>
        new GeminiChatClient(new GeminiChatClientOptions { Endpoint = emulator.GeminiEndpoint, ApiKey = "gemini-emulator-key", Model = "gemini-2.5-flash" }, http);
}
