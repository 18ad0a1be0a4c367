// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Xunit;

namespace LlmAdapters.TestUtilities;

/// <summary>
/// <see cref="ChatClientConformanceTests"/> over an in-process emulator and real loopback HTTP: always run. A provider's
/// test project says only how to build its adapter against the emulator.
/// </summary>
public abstract class EmulatorConformanceTests : ChatClientConformanceTests, IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private EmulatorServer? _emulator;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync() => _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates the adapter under test, pointed at the emulator.</summary>
    /// <param name="emulator">The running emulator.</param>
    /// <param name="http">The HTTP client to send requests with.</param>
    /// <returns>The adapter.</returns>
    protected abstract IChatClient CreateClient(EmulatorServer emulator, HttpClient http);

    /// <inheritdoc/>
    protected sealed override IChatClient? CreateClient(out string skipReason)
    {
        skipReason = string.Empty;
        return CreateClient(_emulator ?? throw new InvalidOperationException("The emulator is not started."), _http);
    }
}
