// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmAdapters.Emulator.Tests;

/// <summary>The standalone emulator, run as a process: it stops on SIGTERM as <c>docker stop</c> and systemd send it.</summary>
public sealed partial class EmulatorProgramTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"Emulator listening on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningLine();

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_StopsTheEmulatorCleanly(string signal)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LlmAdapters.Emulator.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.BeginOutputReadLine();
        var error = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            using (var http = new HttpClient())
            {
                // It serves: the health endpoint of Ollama answers.
                Assert.Contains("llama3.2", await http.GetStringAsync(new Uri(address, "api/tags"), Ct), StringComparison.Ordinal);
            }

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Ct);
            }

            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            Assert.Equal(0, process.ExitCode);
            process.WaitForExit();
            lock (output)
            {
                Assert.Contains("Emulator stopped.", output.ToString(), StringComparison.Ordinal);
            }

            Assert.Equal(string.Empty, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
