// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Conformance;

/// <summary>The conformance suite over the emulator's OpenAI dialect, through real HTTP: always run.</summary>
public sealed class OpenAIEmulatorConformanceTests : ChatClientConformanceTests, IAsyncLifetime
{
    private EmulatorServer? _emulator;
    private readonly HttpClient _http = new();

    protected override string ExpectedProviderName => "vllm";

    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    protected override IChatClient? CreateClient(out string skipReason)
    {
        skipReason = string.Empty;
        return new OpenAICompatibleChatClient(
            new OpenAICompatibleChatClientOptions { ProviderName = "vllm", Endpoint = _emulator!.OpenAIEndpoint, Model = "emulator-1" },
            _http);
    }
}
