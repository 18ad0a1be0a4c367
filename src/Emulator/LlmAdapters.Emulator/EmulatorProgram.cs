// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Emulator;

/// <summary>
/// Runs the emulator standalone: <c>dotnet run --project src/Emulator/LlmAdapters.Emulator -- [--port N] [--chunk-delay-ms N]</c>.
/// It runs on the generic host, whose console lifetime stops it on Ctrl+C and on SIGTERM (<c>docker stop</c>, systemd,
/// CI teardown).
/// </summary>
internal static class EmulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = new EmulatorOptions { Port = 5380 };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var port):
                    options.Port = port;
                    i++;
                    break;
                case "--chunk-delay-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var delay):
                    options.ChunkDelay = TimeSpan.FromMilliseconds(delay);
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: [--port N] [--chunk-delay-ms N]").ConfigureAwait(false);
                    return 2;
            }
        }

        // No configuration or logging defaults: the emulator prints its one line. The host adds its console lifetime.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddHostedService(_ => new EmulatorHostedService(options, Console.Out));
        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
