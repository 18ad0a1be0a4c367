// Licensed under the MIT License.

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// The official JavaScript clients (tests/gateway-clients: <c>openai</c>, <c>@anthropic-ai/sdk</c>, Vercel's <c>ai</c>
/// with <c>@ai-sdk/openai</c>, installed by eng/install-test-deps.sh with <c>npm ci</c>) run with node's test runner
/// against samples/Gateway on the emulator. One test per client file; each must pass every case it has. They run on the
/// Node.js 22 of the npm package <c>node</c> installed beside them (the clients declare <c>node &gt;=22</c>; Debian's is older).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class NodeClientTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("openai.test.mjs", 20)]
    [InlineData("anthropic.test.mjs", 20)]
    [InlineData("vercel-ai.test.mjs", 17)]
    public async Task OfficialClient_PassesEveryCase(string file, int atLeast)
    {
        var gateway = fixture.Gateway;
        var folder = ClientsFolder();
        Assert.True(
            Directory.Exists(Path.Combine(folder, "node_modules")),
            $"{folder}/node_modules is missing: run 'bash eng/install-test-deps.sh' (npm ci) first.");
        var cancelledBefore = Cancelled(gateway);

        var (exitCode, output) = await RunNodeAsync(folder, file, new Dictionary<string, string>
        {
            ["GATEWAY_URL"] = gateway.BaseAddress.ToString(),
            ["EMULATOR_URL"] = gateway.Emulator.BaseAddress.ToString(),
            ["GATEWAY_KEY"] = RunningGateway.DemoKey,
            ["GATEWAY_LIMITED_KEY"] = RunningGateway.LimitedKey,
        });

        TestContext.Current.TestOutputHelper?.WriteLine(output);
        var pass = PassCount().Match(output);
        var fail = FailCount().Match(output);
        Assert.True(exitCode == 0 && fail.Success && fail.Groups[1].Value == "0", $"node --test {file} failed (exit {exitCode}):\n{Tail(output)}");
        Assert.True(pass.Success && int.Parse(pass.Groups[1].Value) >= atLeast, $"node --test {file} ran fewer cases than {atLeast}:\n{Tail(output)}");

        // The client's abort reached the provider call: the gateway saw the call cancelled, not finished.
        for (var i = 0; i < 200 && Cancelled(gateway) <= cancelledBefore; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        Assert.True(Cancelled(gateway) > cancelledBefore, "The gateway logged no cancelled call for the client's aborted request.");
    }

    internal static string ClientsFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Adapters.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Path.Combine(directory.FullName, "tests", "gateway-clients");
    }

    private static int Cancelled(RunningGateway gateway) =>
        gateway.Logs.GetSnapshot().Count(r => r.Id.Name == "GatewayCallCancelled");

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string folder, string file, Dictionary<string, string> environment)
    {
        // The Node.js 22 that npm ci installed with the clients (the npm package "node"), not the machine's.
        var node = Path.Combine(folder, "node_modules", "node", "bin", "node");
        Assert.True(File.Exists(node), $"{node} is missing: run 'bash eng/install-test-deps.sh' (npm ci) again.");
        var start = new ProcessStartInfo(node, ["--test", "--test-reporter=tap", file])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = new StringBuilder();
        var stdout = Task.Run(async () => output.Append(await process.StandardOutput.ReadToEndAsync()));
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        output.AppendLine().Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    private static string Tail(string output) => output.Length <= 12000 ? output : output[^12000..];

    [GeneratedRegex(@"^# pass (\d+)", RegexOptions.Multiline)]
    private static partial Regex PassCount();

    [GeneratedRegex(@"^# fail (\d+)", RegexOptions.Multiline)]
    private static partial Regex FailCount();
}
