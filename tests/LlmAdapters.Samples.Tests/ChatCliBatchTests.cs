// Licensed under the MIT License.

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace LlmAdapters.Samples.Tests;

/// <summary><c>llm-chat --batch in.jsonl --out out.jsonl</c>, run as a process on the in-process emulator.</summary>
public sealed class ChatCliBatchTests : IDisposable
{
    private static readonly string s_cli = Path.Combine(
        typeof(ChatCliBatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ChatCliDirectory").Value!,
        "llm-chat.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("llm-chat-batch-").FullName;

    private string Input => Path.Combine(_directory, "in.jsonl");

    private string Output => Path.Combine(_directory, "out.jsonl");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Batch_MixedInput_OneLinePerItemBadLinesReportedByNumberAndASummary()
    {
        await File.WriteAllLinesAsync(Input,
        [
            """{"id":"a","prompt":"Hello there"}""",
            """{"id":"b","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}],"options":{"temperature":0.1,"max_output_tokens":50}}""",
            "not json",
            "",
            """{"id":"c","prompt":"x","options":{"frobnicate":1}}""",
            """{"prompt":"no id here"}""",
            """{"id":"a","prompt":"the same id again"}""",
            """{"id":"d","messages":[{"role":"robot","content":"beep"}]}""",
        ], TestContext.Current.CancellationToken);

        using var cli = ChatCli.Start("--batch", Input, "--out", Output);
        var (exit, output, error) = await cli.WaitAsync();

        Assert.Equal(1, exit); // bad lines make the batch incomplete
        Assert.Contains("in.jsonl line 3: not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("in.jsonl line 5: unknown option 'frobnicate'", error, StringComparison.Ordinal);
        Assert.Contains("in.jsonl line 7: the id 'a' was already used by an earlier line.", error, StringComparison.Ordinal);
        Assert.Contains("in.jsonl line 8: unknown role 'robot'", error, StringComparison.Ordinal);
        Assert.Contains("progress: 3/3 · 0 in flight ·", error, StringComparison.Ordinal); // plain lines: stderr is not a terminal
        Assert.DoesNotContain("\r", error, StringComparison.Ordinal);
        Assert.Matches(@"batch: 3 item\(s\): 3 succeeded, 4 bad input line\(s\) · \d+ in / \d+ out tokens · \$0\.\d+ · ", output);

        var lines = ReadOutput();
        Assert.Equal(["a", "b", "line-6"], lines.Select(l => l.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var b = lines.Single(l => l.GetProperty("id").GetString() == "b");
        Assert.Equal("ok", b.GetProperty("status").GetString());
        Assert.StartsWith("You said \"What is 2+2?\".", b.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("stop", b.GetProperty("finish_reason").GetString());
        Assert.Equal("gpt-4o-mini", b.GetProperty("model").GetString());
        Assert.True(b.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
        Assert.True(b.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.True(b.GetProperty("cost").GetDecimal() > 0);
    }

    [Fact]
    public async Task Batch_RerunWithTheSameOut_SkipsWhatSucceededAndRunsTheRest()
    {
        await File.WriteAllLinesAsync(Input, Enumerable.Range(1, 5).Select(i => $$"""{"id":"q{{i}}","prompt":"question {{i}}"}"""), TestContext.Current.CancellationToken);
        // An earlier run: q1 succeeded, q2 failed, and the run was killed while writing q3's line.
        await File.WriteAllTextAsync(Output,
            """{"id":"q1","status":"ok","text":"earlier answer","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2},"cost":0.000001}""" + "\n" +
            """{"id":"q2","status":"error","error":{"kind":"Unavailable","message":"earlier failure"}}""" + "\n" +
            """{"id":"q3","status":"o""", TestContext.Current.CancellationToken);

        using var cli = ChatCli.Start("--batch", Input, "--out", Output);
        var (exit, output, error) = await cli.WaitAsync();

        Assert.Equal(0, exit);
        Assert.Contains("1 unreadable line(s) ignored", error, StringComparison.Ordinal);
        Assert.Contains("resuming: 1 item(s) already succeeded", error, StringComparison.Ordinal);
        Assert.Contains("batch: 5 item(s): 4 succeeded, 1 skipped (already succeeded)", output, StringComparison.Ordinal);

        var succeeded = ReadOutput(skipUnreadable: true).Where(l => l.GetProperty("status").GetString() == "ok").ToList();
        Assert.Equal(["q1", "q2", "q3", "q4", "q5"], succeeded.Select(l => l.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("earlier answer", succeeded.Single(l => l.GetProperty("id").GetString() == "q1").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Batch_CancelledWithCtrlC_KeepsWhatFinishedAndTheRerunCompletesTheRest()
    {
        await File.WriteAllLinesAsync(Input, Enumerable.Range(1, 40).Select(i => $$"""{"id":"item-{{i}}","prompt":"item {{i}}"}"""), TestContext.Current.CancellationToken);

        // 20 requests a minute: the first 20 items pass at once, the 21st waits a minute, and the batch is cancelled then.
        using (var first = ChatCli.Start(new Dictionary<string, string> { ["AI__Pipeline__RateLimit__RequestsPerMinute"] = "20" }, "--batch", Input, "--out", Output))
        {
            await WaitForLinesAsync(20);
            first.Interrupt();
            var (exit, output, _) = await first.WaitAsync();

            Assert.Equal(130, exit);
            Assert.Contains("batch: 40 item(s): 20 succeeded", output, StringComparison.Ordinal);
            Assert.Contains("not run (cancelled)", output, StringComparison.Ordinal);
        }

        using var second = ChatCli.Start("--batch", Input, "--out", Output);
        var (exit2, output2, error2) = await second.WaitAsync();

        Assert.Equal(0, exit2);
        Assert.Contains("resuming: 20 item(s) already succeeded", error2, StringComparison.Ordinal);
        Assert.Contains("batch: 40 item(s): 20 succeeded, 20 skipped (already succeeded)", output2, StringComparison.Ordinal);
        var ids = ReadOutput().Select(l => l.GetProperty("id").GetString()).ToList();
        Assert.Equal(40, ids.Count); // each item once: none was sent twice
        Assert.Equal(Enumerable.Range(1, 40).Select(i => "item-" + i).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Batch_BudgetRunsOut_StopsCleanlyAndReportsTheItemsNotRun()
    {
        await File.WriteAllLinesAsync(Input, Enumerable.Range(1, 30).Select(i => $$"""{"id":"b{{i}}","prompt":"budget item {{i}}"}"""), TestContext.Current.CancellationToken);

        // One at a time: each call reserves its worst case (512 output tokens) and spends far less, so a few fit.
        using var cli = ChatCli.Start(new Dictionary<string, string> { ["AI__Pipeline__Budget__Daily"] = "0.0005" }, "--batch", Input, "--out", Output, "--concurrency", "1");
        var (exit, output, error) = await cli.WaitAsync();

        Assert.Equal(1, exit);
        Assert.Contains("stopped (budget exhausted): Budget exceeded: the daily limit 'AI:Pipeline:Budget:Daily' of $0.0005", error, StringComparison.Ordinal);
        var match = System.Text.RegularExpressions.Regex.Match(output, @"batch: 30 item\(s\): (\d+) succeeded, (\d+) not run \(budget exhausted\)");
        Assert.True(match.Success, output);
        var succeeded = int.Parse(match.Groups[1].Value);
        Assert.InRange(succeeded, 1, 29);
        Assert.Equal(30 - succeeded, int.Parse(match.Groups[2].Value));
        Assert.Contains("Run the same command again to retry the items that did not succeed.", output, StringComparison.Ordinal);

        // Not-run items are not written, so a rerun (with a budget left) runs them.
        var lines = ReadOutput();
        Assert.Equal(succeeded, lines.Count);
        Assert.All(lines, l => Assert.Equal("ok", l.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Batch_MissingInput_ExitsWith2()
    {
        using var cli = ChatCli.Start("--batch", Path.Combine(_directory, "nothing.jsonl"), "--out", Output);
        var (exit, _, error) = await cli.WaitAsync();

        Assert.Equal(2, exit);
        Assert.Contains("nothing.jsonl' does not exist.", error, StringComparison.Ordinal);
    }

    private List<JsonElement> ReadOutput(bool skipUnreadable = false)
    {
        var result = new List<JsonElement>();
        foreach (var line in File.ReadAllLines(Output).Where(l => l.Length > 0))
        {
            try
            {
                result.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
            catch (JsonException) when (skipUnreadable)
            {
            }
        }

        return result;
    }

    private async Task WaitForLinesAsync(int count)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!File.Exists(Output) || File.ReadAllLines(Output).Length < count)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(60), $"fewer than {count} lines were written");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The CLI as a running process, with a developer's own keys and providers removed from its environment.</summary>
    private sealed class ChatCli : IDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _output;
        private readonly Task<string> _error;

        private ChatCli(Process process)
        {
            _process = process;
            _output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            _error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        }

        public static ChatCli Start(params string[] args) => Start(new Dictionary<string, string>(), args);

        public static ChatCli Start(Dictionary<string, string> environment, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(s_cli);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AI__", StringComparison.Ordinal) || k.EndsWith("_API_KEY", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            return new ChatCli(Process.Start(start)!);
        }

        /// <summary>Sends SIGINT, as Ctrl+C does.</summary>
        public void Interrupt()
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<(int ExitCode, string Output, string Error)> WaitAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(90));
            await _process.WaitForExitAsync(timeout.Token);
            return (_process.ExitCode, await _output, await _error);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }
}
