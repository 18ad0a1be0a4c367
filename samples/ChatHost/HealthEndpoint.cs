// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// <c>GET /health</c>: one check per configured client (<c>AddChatClientsHealthChecks</c>), 200 when all are healthy or
/// degraded, 503 when one is unhealthy; the body lists each client with its status, description and data (never a key).
/// </summary>
internal static class HealthEndpoint
{
    public static void AddTo(IServiceCollection services) => services.AddHealthChecks().AddChatClientsHealthChecks();

    public static IEndpointRouteBuilder MapHealthEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return routes;
    }

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds));
        json.WriteStartArray("clients");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject();
            json.WriteString("name", name.StartsWith("chat:", StringComparison.Ordinal) ? name[5..] : name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            foreach (var (key, value) in entry.Data)
            {
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
