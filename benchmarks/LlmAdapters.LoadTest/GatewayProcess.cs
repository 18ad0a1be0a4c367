// Licensed under the MIT License.

namespace LlmAdapters.LoadTest;

/// <summary>
/// This tool started again as <c>serve-gateway</c> (<see cref="GatewayHost"/>), pinned with taskset to
/// <c>LOADTEST_GATEWAY_CPUS</c> when set; its CPU time and working set are read from outside.
/// </summary>
internal static class GatewayProcess
{
    public static PinnedProcess Start(int port, Uri emulator) => PinnedProcess.Start(
        "gateway",
        "LOADTEST_GATEWAY_CPUS",
        [typeof(GatewayProcess).Assembly.Location, "serve-gateway", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--upstream", emulator.ToString()],
        "Gateway listening on");

    public static Uri BaseAddress(int port) => new($"http://127.0.0.1:{port}/");
}
