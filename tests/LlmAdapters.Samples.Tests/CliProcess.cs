// Licensed under the MIT License.

using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace LlmAdapters.Samples.Tests;

/// <summary>The CLI as a running process whose output is collected as it arrives.</summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private static readonly string s_cli = Path.Combine(
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ChatCliDirectory").Value!,
        "llm-chat.dll");

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();
    private readonly Task _reading;

    private CliProcess(Process process)
    {
        _process = process;

        // Read as characters arrive, not by lines: a streamed reply has no line end until it is complete.
        _reading = Task.WhenAll(ReadAsync(process.StandardOutput, _output), ReadAsync(process.StandardError, _error));
    }

    public static CliProcess Start(Dictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(s_cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "AI__Provider", "AI__ApiKey", "AI__Endpoint", "AI__Model", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "NO_COLOR" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        return new CliProcess(Process.Start(start)!);
    }

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public Task WriteAsync(string text) => _process.StandardInput.WriteAsync(text);

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public Task WaitForOutputAsync(string text) => WaitForAsync(_output, text);

    public Task WaitForErrorAsync(string text) => WaitForAsync(_error, text);

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await _reading;
        return _process.ExitCode;
    }

    public async Task<(int ExitCode, string Output, string Error)> FinishAsync()
    {
        _process.StandardInput.Close();
        var exit = await WaitForExitAsync();
        lock (_lock)
        {
            return (exit, _output.ToString(), _error.ToString());
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReadAsync(StreamReader reader, StringBuilder builder)
    {
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_lock)
            {
                builder.Append(buffer, 0, read);
            }
        }
    }

    private async Task WaitForAsync(StringBuilder builder, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (_lock)
            {
                if (builder.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.False(_process.HasExited, $"The CLI exited before writing '{text}'. Output: {_output} Error: {_error}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"The CLI did not write '{text}' within 60 s. Output: {_output} Error: {_error}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }
}
