// Licensed under the MIT License.

namespace LlmAdapters.LoadTest;

/// <summary>The built emulator run as a separate process on a loopback port (<see cref="PinnedProcess"/>).</summary>
internal static class EmulatorProcess
{
    /// <summary>
    /// Starts the emulator; <c>LOADTEST_EMULATOR_CPUS</c> (run.sh sets it when the machine has cores to spare) pins it with
    /// taskset to those cores, away from the client's, so that the two do not take turns on the same cores.
    /// </summary>
    public static PinnedProcess Start(string? dllPath, int port) => PinnedProcess.Start(
        "emulator",
        "LOADTEST_EMULATOR_CPUS",
        [dllPath is { Length: > 0 } && File.Exists(dllPath) ? dllPath : FindBuiltEmulator(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        "Emulator listening on");

    public static Uri BaseAddress(int port) => new($"http://127.0.0.1:{port}/");

    private static string FindBuiltEmulator()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Adapters.sln")))
            {
                foreach (var configuration in new[] { "Release", "Debug" })
                {
                    var dll = Path.Combine(dir.FullName, "src", "Emulator", "LlmAdapters.Emulator", "bin", configuration, "net10.0", "LlmAdapters.Emulator.dll");
                    if (File.Exists(dll))
                    {
                        return dll;
                    }
                }
            }
        }

        throw new FileNotFoundException("No built LlmAdapters.Emulator.dll: build src/Emulator/LlmAdapters.Emulator or pass --emulator.");
    }
}
