// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>
/// Runs an <see cref="EmulatorServer"/> for the lifetime of a generic host: started with the host, stopped with it
/// (Ctrl+C, SIGTERM from <c>docker stop</c> or systemd, or <see cref="IHostApplicationLifetime.StopApplication"/>).
/// </summary>
internal sealed class EmulatorHostedService(EmulatorOptions options, TextWriter output) : IHostedService, IAsyncDisposable
{
    private EmulatorServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await EmulatorServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(
            $"Emulator listening on {_server.BaseAddress} (OpenAI-compatible: {_server.OpenAIEndpoint}; Anthropic: {_server.AnthropicEndpoint}). " +
            $"Dialects: {string.Join(", ", EmulatorServer.Dialects)}. Ctrl+C or SIGTERM stops it.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Emulator stopped.").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
