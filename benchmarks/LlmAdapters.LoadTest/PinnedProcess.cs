// Licensed under the MIT License.

using System.Diagnostics;

namespace LlmAdapters.LoadTest;

/// <summary>
/// A <c>dotnet</c> process the tool starts (the emulator, the gateway), pinned with taskset to the cores an environment
/// variable names when it is set (taskset execs dotnet in place, so the process is the server itself: its CPU time and
/// working set are the server's), ready when it prints its ready line. Disposing it ends that process (and only it).
/// </summary>
internal sealed class PinnedProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PinnedProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Gets the process's CPU time so far (user and system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Gets the process's working set now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>Starts <c>dotnet {arguments}</c>, pinned to <c>${cpusVariable}</c> when set, with the server GC.</summary>
    public static PinnedProcess Start(string name, string cpusVariable, IEnumerable<string> arguments, string readyLine)
    {
        var cpus = Environment.GetEnvironmentVariable(cpusVariable);
        var pinned = !string.IsNullOrWhiteSpace(cpus) && File.Exists("/usr/bin/taskset");
        var info = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pinned)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus!);
            info.ArgumentList.Add("dotnet");
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"The {name} did not start.");
        var started = new PinnedProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains(readyLine, StringComparison.Ordinal) == true)
            {
                started._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine(name + ": " + line);
            }
        };
        process.Exited += (_, _) => started._ready.TrySetException(new InvalidOperationException($"The {name} exited with {process.ExitCode}."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
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
}
