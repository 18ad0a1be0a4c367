// Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using LlmAdapters.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.LoadTest;

/// <summary>
/// The gateway package hosted by the tool in its own process (<c>serve-gateway</c>, started by <see cref="GatewayLoad"/>
/// and pinned with taskset away from the client): the default configured pipeline on the emulator behind
/// <c>app.MapLlmGateway()</c>, one virtual key, no logging. It listens to the two overhead metrics,
/// <c>llmadapters.gateway.overhead</c> and <c>llmadapters.client.overhead</c>, and serves them on
/// <c>/loadtest/overhead</c> (<c>?reset=1</c> forgets them) for the client to print beside its own measurements.
/// </summary>
internal static class GatewayHost
{
    public const string Key = "sk-load-gateway-key-0000000000000000";

    public static async Task<int> RunAsync(int port, Uri emulator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Endpoint"] = new Uri(emulator, "v1").ToString(),
            ["AI:ApiKey"] = LoadTarget.ApiKey,
            ["AI:Model"] = LoadTarget.Model,
            ["Gateway:Keys:load:KeyHash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        });
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
        builder.Services.AddLlmGateway(builder.Configuration.GetSection("Gateway"));
        using var gateway = new HistogramRecorder(LlmGatewayTelemetryNames.MeterName, LlmGatewayTelemetryNames.OverheadInstrument);
        using var client = new HistogramRecorder(HostingTelemetryNames.MeterName, HostingTelemetryNames.OverheadInstrument);
        await using var app = builder.Build();
        app.MapLlmGateway();
        app.MapGet("/loadtest/overhead", (HttpContext context) =>
        {
            var text = $"gateway {gateway.Summary()} client {client.Summary()}";
            if (context.Request.Query.ContainsKey("reset"))
            {
                gateway.Reset();
                client.Reset();
            }

            return Results.Text(text);
        });
        await app.StartAsync();
        Console.WriteLine("Gateway listening on " + app.Urls.Single());
        await app.WaitForShutdownAsync();
        return 0;
    }
}
