// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Emulator;

/// <summary>Runs the emulator standalone: <c>dotnet run --project src/Emulator/LlmAdapters.Emulator -- [--port N] [--chunk-delay-ms N]</c>.</summary>
internal static class EmulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = new EmulatorOptions { Port = 5380 };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length:
                    options.Port = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--chunk-delay-ms" when i + 1 < args.Length:
                    options.ChunkDelay = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: [--port N] [--chunk-delay-ms N]").ConfigureAwait(false);
                    return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var server = await EmulatorServer.StartAsync(options, stop.Token).ConfigureAwait(false);
        await using var serverScope = server.ConfigureAwait(false);
        Console.WriteLine($"Emulator listening on {server.BaseAddress} (OpenAI-compatible: {server.OpenAIEndpoint}; Anthropic: {server.AnthropicEndpoint}). Dialects: {string.Join(", ", EmulatorServer.Dialects)}. Ctrl+C stops it.");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
        }

        return 0;
    }
}
