// Licensed under the MIT License.

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace LlmAdapters.Redis.Tests;

/// <summary>Starts tests/LlmAdapters.Redis.TestHost as a separate OS process and reads its JSON report.</summary>
internal static class TestHost
{
    private static readonly string s_dll = Path.Combine(
        typeof(TestHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestHostDirectory").Value!,
        "LlmAdapters.Redis.TestHost.dll");

    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(s_dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public static async Task<Report> RunAsync(params string[] args)
    {
        using var process = Start(args);
        return await WaitAsync(process);
    }

    public static async Task<Report> WaitAsync(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stdout = await output;
        Assert.True(process.ExitCode == 0, $"The test host failed ({process.ExitCode}): {stdout}\n{await error}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        using var json = JsonDocument.Parse(last);
        return new Report(
            json.RootElement.GetProperty("outcomes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal),
            [.. json.RootElement.GetProperty("sent").EnumerateArray().Select(e => e.GetInt64())],
            json.RootElement.GetProperty("fallbacks").GetInt32(),
            stdout);
    }

    internal sealed record Report(IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<long> Sent, int Fallbacks, string Output)
    {
        public int this[string outcome] => Outcomes.TryGetValue(outcome, out var n) ? n : 0;
    }
}
