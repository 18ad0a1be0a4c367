// Licensed under the MIT License.

using System.Diagnostics;

namespace LlmAdapters.LoadTest;

/// <summary>The built emulator run as a separate process on a loopback port; disposing it ends that process (and only it).</summary>
internal sealed class EmulatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EmulatorProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static EmulatorProcess Start(string? dllPath, int port)
    {
        var dll = dllPath is { Length: > 0 } && File.Exists(dllPath) ? dllPath : FindBuiltEmulator();
        // LOADTEST_EMULATOR_CPUS (run.sh sets it when the machine has cores to spare): the emulator pinned to those cores
        // with taskset, away from the client's, so that the two do not take turns on the same cores.
        var cpus = Environment.GetEnvironmentVariable("LOADTEST_EMULATOR_CPUS");
        var pinned = !string.IsNullOrWhiteSpace(cpus) && File.Exists("/usr/bin/taskset");
        var info = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pinned)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus!);
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("The emulator did not start.");
        var emulator = new EmulatorProcess(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Emulator listening on", StringComparison.Ordinal) == true)
            {
                emulator._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("emulator: " + line);
            }
        };
        process.Exited += (_, _) => emulator._ready.TrySetException(new InvalidOperationException($"The emulator exited with {process.ExitCode}."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    public Task WaitReadyAsync(TimeSpan limit) => _ready.Task.WaitAsync(limit);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static string FindBuiltEmulator()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Adapters.sln")))
            {
                foreach (var configuration in new[] { "Release", "Debug" })
                {
                    var dll = Path.Combine(dir.FullName, "src", "Emulator", "LlmAdapters.Emulator", "bin", configuration, "net10.0", "LlmAdapters.Emulator.dll");
                    if (File.Exists(dll))
                    {
                        return dll;
                    }
                }
            }
        }

        throw new FileNotFoundException("No built LlmAdapters.Emulator.dll: build src/Emulator/LlmAdapters.Emulator or pass --emulator.");
    }
}
