// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Tests.Conformance;

/// <summary>The conformance suite over the emulator's Anthropic dialect, through real HTTP: always run.</summary>
public sealed class AnthropicEmulatorConformanceTests : ChatClientConformanceTests, IAsyncLifetime
{
    private EmulatorServer? _emulator;
    private readonly HttpClient _http = new();

    protected override string ExpectedProviderName => "anthropic";

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
        return new AnthropicChatClient(
            new AnthropicChatClientOptions { Endpoint = _emulator!.AnthropicEndpoint, ApiKey = "sk-ant-emulator", Model = "claude-haiku-4-5" },
            _http);
    }
}
