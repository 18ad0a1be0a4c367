// Licensed under the MIT License.

using System.Diagnostics;

namespace LlmAdapters.LoadTest;

/// <summary>
/// This tool started again as <c>serve-gateway</c> (<see cref="GatewayHost"/>), pinned with taskset to
/// <c>LOADTEST_GATEWAY_CPUS</c> when set; its CPU time and working set are read from outside. Disposing it ends that
/// process (and only it).
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>Gets the gateway process's CPU time so far (user and system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Gets the gateway process's working set now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public static GatewayProcess Start(int port, Uri emulator)
    {
        var cpus = Environment.GetEnvironmentVariable("LOADTEST_GATEWAY_CPUS");
        var pinned = !string.IsNullOrWhiteSpace(cpus) && File.Exists("/usr/bin/taskset");

        // taskset execs dotnet in place: the process started is the gateway itself, so its CPU time is the gateway's.
        var info = new ProcessStartInfo(pinned ? "/usr/bin/taskset" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pinned)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus!);
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(typeof(GatewayProcess).Assembly.Location);
        info.ArgumentList.Add("serve-gateway");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--upstream");
        info.ArgumentList.Add(emulator.ToString());
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("The gateway did not start.");
        var gateway = new GatewayProcess(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Gateway listening on", StringComparison.Ordinal) == true)
            {
                gateway._ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("gateway: " + line);
            }
        };
        process.Exited += (_, _) => gateway._ready.TrySetException(new InvalidOperationException($"The gateway exited with {process.ExitCode}."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
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
