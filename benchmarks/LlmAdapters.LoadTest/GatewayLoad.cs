// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using LlmAdapters.Benchmarks;

namespace LlmAdapters.LoadTest;

/// <summary>
/// The gateway row (issue 23, item 6): the same emulator called directly and through the gateway (the gateway package in
/// its own process, <see cref="GatewayHost"/>), each at a fixed offered load (open loop: requests start on a schedule,
/// whatever the answers do, and each latency counts from its scheduled start), with the same streamed OpenAI request read
/// by the bare reader. Per load: the added p50 and p99 (gateway minus direct), the ratios, the gateway's CPU time per
/// request and peak working set (read from outside its process), the errors, and the two overhead metrics the gateway
/// process recorded for the same calls. A third target, <c>pipeline</c>, calls the same emulator through the default
/// configured pipeline in this process at the same loads: its added latency and this process's extra CPU per request
/// stand beside the pipeline's own <c>llmadapters.client.overhead</c> recorded here for the same calls (issue 24, item 4).
/// </summary>
internal static class GatewayLoad
{
    public static async Task<int> RunAsync(int[] rates, int seconds, int warmup, int port, string emulatorPath)
    {
        using var emulator = EmulatorProcess.Start(emulatorPath, port);
        await emulator.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var emulatorAddress = EmulatorProcess.BaseAddress(port);
        using var gateway = GatewayProcess.Start(port + 1, emulatorAddress);
        await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var gatewayAddress = GatewayProcess.BaseAddress(port + 1);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromSeconds(30) };
        Console.WriteLine($"Emulator pid {emulator.Id} on {emulatorAddress}, gateway pid {gateway.Id} on {gatewayAddress}; {seconds} s per row after {warmup} s of warm-up, {Environment.ProcessorCount} cores.");

        var direct = new Target("direct", http, new Uri(emulatorAddress, "v1/chat/completions"), LoadTarget.Model, LoadTarget.ApiKey);
        var through = new Target("gateway", http, new Uri(gatewayAddress, "v1/chat/completions"), "default", GatewayHost.Key);
        await using var configured = LoadTarget.Create("openai", "default", emulatorAddress, 1000);
        var pipeline = new Target("pipeline", http, null, string.Empty, string.Empty, configured);
        using var clientOverhead = new HistogramRecorder(Hosting.HostingTelemetryNames.MeterName, Hosting.HostingTelemetryNames.OverheadInstrument);
        var failed = false;
        foreach (var rate in rates)
        {
            var d = await RunAsync(direct, rate, seconds, warmup, null, null);
            var g = await RunAsync(through, rate, seconds, warmup, gateway, gatewayAddress);
            var overhead = await http.GetStringAsync(new Uri(gatewayAddress, "loadtest/overhead"));
            var f = overhead.Split(' ');
            var p = await RunAsync(pipeline, rate, seconds, warmup, null, null, clientOverhead);
            var c = clientOverhead.Summary().Split(' ');

            // GROW rate direct-p50 direct-p99 gw-p50 gw-p99 added-p50 added-p99 ratio-p50 ratio-p99 gw-cpu-ms/req gw-peak-MB errors achieved-rate
            //      gw-metric(count p50 p99 mean) gw-process-client-metric(count p50 p99 mean)
            //      pipeline-added-p50 pipeline-added-p99 client-cpu-ms/req(direct) client-cpu-ms/req(pipeline) client-metric-here(count p50 p99 mean) pipeline-errors
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"GROW {rate} {d.P50:0.000} {d.P99:0.000} {g.P50:0.000} {g.P99:0.000} {g.P50 - d.P50:0.000} {g.P99 - d.P99:0.000} {g.P50 / d.P50:0.00} {g.P99 / d.P99:0.00} {g.CpuMsPerRequest:0.000} {g.PeakWorkingSetMb:0} {d.Errors + g.Errors} {g.Achieved:0} {f[1]} {f[2]} {f[3]} {f[4]} {f[6]} {f[7]} {f[8]} {f[9]} {p.P50 - d.P50:0.000} {p.P99 - d.P99:0.000} {d.ClientCpuMsPerRequest:0.000} {p.ClientCpuMsPerRequest:0.000} {c[0]} {c[1]} {c[2]} {c[3]} {p.Errors}"));
            if (d.Errors + g.Errors + p.Errors > 0)
            {
                Console.WriteLine($"errors at {rate} req/s: direct {d.Errors} ({d.FirstError}), gateway {g.Errors} ({g.FirstError}), pipeline {p.Errors} ({p.FirstError})");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<Result> RunAsync(Target target, int rate, int seconds, int warmup, PinnedProcess? gateway, Uri? gatewayAddress, HistogramRecorder? recorder = null)
    {
        await target.CallAsync();
        if (warmup > 0)
        {
            _ = await OpenLoopAsync(target, rate, TimeSpan.FromSeconds(warmup), null);
        }

        if (gateway is not null)
        {
            await target.Http.GetStringAsync(new Uri(gatewayAddress!, "loadtest/overhead?reset=1"));
        }

        recorder?.Reset();

        return await OpenLoopAsync(target, rate, TimeSpan.FromSeconds(seconds), gateway);
    }

    /// <summary>Starts <paramref name="rate"/> requests a second on a schedule for <paramref name="duration"/>, then waits for them all.</summary>
    private static async Task<Result> OpenLoopAsync(Target target, int rate, TimeSpan duration, PinnedProcess? gateway)
    {
        GC.Collect();
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var calls = new Task[total];
        long errors = 0;
        string? firstError = null;
        var cpuBefore = gateway?.CpuTime ?? TimeSpan.Zero;
        var self = Process.GetCurrentProcess();
        var clientCpuBefore = self.TotalProcessorTime;
        long peak = 0;
        var started = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var next = 0;
        var lastSample = started;
        while (next < total)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < total && started + (long)(next * ticksPerRequest) <= now)
            {
                var index = next++;
                var due = started + (long)(index * ticksPerRequest);
                calls[index] = Task.Run(async () =>
                {
                    try
                    {
                        await target.CallAsync();
                        latencies[index] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    }
                    catch (Exception ex)
                    {
                        latencies[index] = double.NaN;
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                    }
                });
            }

            if (gateway is not null && Stopwatch.GetElapsedTime(lastSample, now) >= TimeSpan.FromMilliseconds(100))
            {
                lastSample = now;
                peak = Math.Max(peak, gateway.WorkingSet);
            }

            await timer.WaitForNextTickAsync();
        }

        await Task.WhenAll(calls);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (gateway is not null)
        {
            peak = Math.Max(peak, gateway.WorkingSet);
        }

        var sorted = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];
        var cpu = gateway is null ? 0 : (gateway.CpuTime - cpuBefore).TotalMilliseconds / Math.Max(1, total);
        self.Refresh();
        var clientCpu = (self.TotalProcessorTime - clientCpuBefore).TotalMilliseconds / Math.Max(1, total);
        return new Result(At(0.50), At(0.99), cpu, peak / 1048576.0, errors, firstError, total / elapsed.TotalSeconds, clientCpu);
    }

    private sealed record Result(double P50, double P99, double CpuMsPerRequest, double PeakWorkingSetMb, long Errors, string? FirstError, double Achieved, double ClientCpuMsPerRequest);

    /// <summary>One streamed OpenAI call with the bare reader, to the emulator or to the gateway (or through the configured pipeline in this process); throws unless it produced text.</summary>
    private sealed record Target(string Name, HttpClient Http, Uri? Uri, string Model, string Key, LoadTarget? Configured = null)
    {
        public async Task CallAsync()
        {
            if (Configured is not null)
            {
                await Configured.CallAsync(CancellationToken.None);
                return;
            }

            var answer = await BareOpenAI.StreamAsync(Http, Uri!, Model, LoadTarget.Prompt, Key);
            if (answer.Text.Length == 0)
            {
                throw new InvalidOperationException($"{Name}: an empty answer.");
            }
        }
    }
}
