// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using LlmAdapters.LoadTest;

// Usage: dotnet run -c Release --project benchmarks/LlmAdapters.LoadTest -- [--streams N] [--seconds N] [--warmup N] [--port N]
//            [--dialect openai|anthropic] [--path bare|adapter|meai|default|full] [--emulator path/to/LlmAdapters.Emulator.dll]
//            [--overhead on]   (listens to llmadapters.client.overhead and prints it beside the process's CPU time per request)
// With --dialect and --path it measures that one row (benchmarks/LlmAdapters.LoadTest/run.sh runs each row in its own
// process, so that no row inherits another's heap, JIT state or working set).
//        dotnet …/LlmAdapters.LoadTest.dll gateway [--rates 200,500,1000] [--seconds N] [--warmup N] [--port N]
//            (the gateway row: the emulator direct and through the gateway at fixed offered loads; run-gateway.sh runs it 3 times)
if (args.Length > 0 && args[0] == "serve-gateway")
{
    return await GatewayHost.RunAsync(int.Parse(args[2], CultureInfo.InvariantCulture), new Uri(args[4]));
}

if (args.Length > 0 && args[0] == "gateway")
{
    var rates = new[] { 200, 500, 1000 };
    int seconds = 10, warmup = 3, port = 5491;
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--rates": rates = [.. args[i + 1].Split(',').Select(r => Math.Clamp(int.Parse(r, CultureInfo.InvariantCulture), 1, 5000))]; break;
            case "--seconds": seconds = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 1, 60); break;
            case "--warmup": warmup = Math.Clamp(int.Parse(args[i + 1], CultureInfo.InvariantCulture), 0, 60); break;
            case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }

    return await GatewayLoad.RunAsync(rates, seconds, warmup, port, System.IO.Path.Combine(AppContext.BaseDirectory, "LlmAdapters.Emulator.dll"));
}

var settings = LoadSettings.Parse(args);
using var emulator = EmulatorProcess.Start(settings.EmulatorPath, settings.Port);
await emulator.WaitReadyAsync(TimeSpan.FromSeconds(30));
var emulatorAddress = EmulatorProcess.BaseAddress(settings.Port);
Console.WriteLine($"Emulator pid {emulator.Id} on {emulatorAddress}; {settings.Streams} concurrent streams, {settings.Warmup} s warm-up then {settings.Seconds} s per row, {Environment.ProcessorCount} cores.");

using var overhead = settings.Overhead ? new OverheadRecorder() : null;
var results = new List<LoadResult>();
foreach (var dialect in settings.Dialect is { } d ? [d] : new[] { "openai", "anthropic" })
{
    foreach (var path in settings.Path is { } p ? [p] : new[] { "bare", "adapter", "meai", "default", "full" })
    {
        await using var target = LoadTarget.Create(dialect, path, emulatorAddress, settings.Streams);
        await target.CallAsync(CancellationToken.None); // connection, JIT, the pipeline's services
        if (settings.Warmup > 0)
        {
            // The same load, not measured: the emulator's and the client's JIT tiers, pools and connections settle.
            _ = await LoadRunner.RunAsync(target, settings.Streams, TimeSpan.FromSeconds(settings.Warmup));
        }

        overhead?.Reset();
        var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var allocated = GC.GetTotalAllocatedBytes();
        var result = await LoadRunner.RunAsync(target, settings.Streams, TimeSpan.FromSeconds(settings.Seconds));
        results.Add(result);
        Console.WriteLine(result.ToString());

        // What the collector did for the measured requests: under a thousand concurrent streams it is a large part of the CPU.
        var requests = Math.Max(1, result.RequestsPerSecond * settings.Seconds);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"gc: {(GC.GetTotalAllocatedBytes() - allocated) / requests / 1024:0.0} KB allocated per request; collections per 1,000 requests: gen0 {(GC.CollectionCount(0) - collections[0]) * 1000 / requests:0.0}, gen1 {(GC.CollectionCount(1) - collections[1]) * 1000 / requests:0.0}, gen2 {(GC.CollectionCount(2) - collections[2]) * 1000 / requests:0.0}"));
        var extra = string.Empty;
        if (overhead is not null)
        {
            // The library's own figure (mean and p99 of llmadapters.client.overhead) beside the tool's external one (CPU per request).
            var (mean, p99, cpu) = overhead.Read((long)(result.RequestsPerSecond * settings.Seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overhead metric: mean {mean:0.000} ms, p99 {p99:0.000} ms; process CPU {cpu:0.000} ms per request"));
            extra = string.Create(CultureInfo.InvariantCulture, $" {(double.IsNaN(mean) ? "-" : mean.ToString("0.000", CultureInfo.InvariantCulture))} {(double.IsNaN(p99) ? "-" : p99.ToString("0.000", CultureInfo.InvariantCulture))} {cpu:0.000}");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"ROW {result.Dialect} {result.Path} {result.RequestsPerSecond:0.0} {result.P50.TotalMilliseconds:0} {result.P99.TotalMilliseconds:0} {result.PeakWorkingSet / 1048576.0:0} {result.Errors}{extra}"));
    }
}

if (settings.Dialect is not null && settings.Path is not null)
{
    return results.Any(r => r.Errors > 0) ? 1 : 0;
}

Console.WriteLine();
Console.WriteLine("| Dialect | Path | Requests/s | Ratio | p50 ms | p99 ms | Peak working set MB | Errors |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    var bare = results.First(b => b.Dialect == r.Dialect && b.Path == "bare");
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Dialect} | {r.Path} | {r.RequestsPerSecond:0} | {r.RequestsPerSecond / bare.RequestsPerSecond:0.00} | {r.P50.TotalMilliseconds:0} | {r.P99.TotalMilliseconds:0} | {r.PeakWorkingSet / 1048576.0:0} | {r.Errors} |"));
}

if (results.Any(r => r.Errors > 0))
{
    Console.WriteLine("First errors: " + string.Join(" / ", results.Where(r => r.FirstError is not null).Select(r => $"{r.Dialect}/{r.Path}: {r.FirstError}")));
}

return 0;

namespace LlmAdapters.LoadTest
{
    internal sealed record LoadSettings(int Streams, int Seconds, int Warmup, int Port, string EmulatorPath, string? Dialect, string? Path, bool Overhead)
    {
        public static LoadSettings Parse(string[] args)
        {
            var streams = 1000;
            var seconds = 10;
            var warmup = 0;
            string? dialect = null;
            string? path = null;
            var overhead = false;
            var port = 5391;
            var emulator = System.IO.Path.Combine(AppContext.BaseDirectory, "LlmAdapters.Emulator.dll");
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--streams": streams = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                    case "--dialect": dialect = args[i + 1] is "openai" or "anthropic" ? args[i + 1] : throw new ArgumentException("--dialect is openai or anthropic."); break;
                    case "--path": path = args[i + 1] is "bare" or "adapter" or "meai" or "default" or "full" ? args[i + 1] : throw new ArgumentException("--path is bare, adapter, meai, default or full."); break;
                    case "--emulator": emulator = args[i + 1]; break;
                    case "--overhead": overhead = args[i + 1] == "on"; break;
                    default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }

            // Bounded: at most 5,000 streams and 60 s per row, loopback only.
            return new LoadSettings(Math.Clamp(streams, 1, 5000), Math.Clamp(seconds, 1, 60), Math.Clamp(warmup, 0, 60), port, emulator, dialect, path, overhead);
        }
    }

    internal sealed record LoadResult(string Dialect, string Path, double RequestsPerSecond, TimeSpan P50, TimeSpan P99, long PeakWorkingSet, long Errors, string? FirstError)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Dialect}/{Path}: {RequestsPerSecond:0} req/s, p50 {P50.TotalMilliseconds:0} ms, p99 {P99.TotalMilliseconds:0} ms, peak WS {PeakWorkingSet / 1048576.0:0} MB, errors {Errors}");
    }

    internal static class LoadRunner
    {
        /// <summary>Runs <paramref name="streams"/> loops, each calling one stream after another until <paramref name="duration"/> ends.</summary>
        public static async Task<LoadResult> RunAsync(LoadTarget target, int streams, TimeSpan duration)
        {
            GC.Collect();
            var self = Process.GetCurrentProcess();
            long peak = 0;
            long errors = 0;
            string? firstError = null;
            var latencies = new List<long>[streams];
            using var stop = new CancellationTokenSource(duration);
            var started = Stopwatch.GetTimestamp();
            var workers = new Task[streams];
            for (var i = 0; i < streams; i++)
            {
                var mine = latencies[i] = new List<long>(256);
                workers[i] = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        try
                        {
                            await target.CallAsync(CancellationToken.None);
                            mine.Add(Stopwatch.GetTimestamp() - t0);
                        }
                        catch (Exception ex)
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                        }
                    }
                });
            }

            var all = Task.WhenAll(workers);
            while (!all.IsCompleted)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, CancellationToken.None));
            }

            await all;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var sorted = latencies.SelectMany(l => l).Order().ToArray();
            TimeSpan At(double q) => sorted.Length == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)]);
            return new LoadResult(target.Dialect, target.Path, sorted.Length / elapsed.TotalSeconds, At(0.50), At(0.99), peak, errors, firstError);
        }
    }
}
