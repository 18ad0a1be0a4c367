// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmAdapters.Samples.Chat;

/// <summary><c>--check</c>: runs the health check of every configured client and prints them as a table.</summary>
internal static class HealthTable
{
    private static readonly string[] s_header = ["CLIENT", "PROVIDER", "MODEL", "STATUS", "DETAIL"];

    public static async Task<int> PrintAsync(HealthCheckService health, ConfiguredChatClients clients, ConsoleStyle style, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ChatClientsHealthChecksBuilderExtensions.Tag), cancellationToken);
        var rows = new List<string[]> { s_header };
        foreach (var name in clients.Names)
        {
            if (!report.Entries.TryGetValue("chat:" + name, out var entry))
            {
                continue;
            }

            rows.Add([
                name,
                entry.Data.TryGetValue("provider", out var provider) ? provider.ToString()! : "?",
                entry.Data.TryGetValue("model", out var model) ? model.ToString()! : "?",
                entry.Status.ToString(),
                entry.Description ?? string.Empty,
            ]);
        }

        var widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            var line = string.Join("  ", row.Take(4).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + row[4];
            Console.WriteLine(index == 0 ? style.Dim(line) : row[3] == nameof(HealthStatus.Unhealthy) ? style.Error(line) : line);
        }

        return report.Status == HealthStatus.Unhealthy ? 1 : 0;
    }
}
