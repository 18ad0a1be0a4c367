// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>
/// The lifetime of an emulator started in-process (<see cref="EmulatorServer.StartAsync"/>): it listens to no signal,
/// so the Ctrl+C or SIGTERM of the process that hosts it (a CLI, a test run) reaches that process, which stops the
/// emulator by disposing of it. The standalone emulator uses the generic host's console lifetime instead.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
