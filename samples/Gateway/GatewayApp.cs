// Licensed under the MIT License.

using Microsoft.Extensions.FileProviders;

namespace LlmAdapters.Samples.Gateway;

/// <summary>
/// Builds the gateway sample: the configured clients of the <c>AI</c> section, the emulator for the clients whose
/// provider is <c>emulator</c>, the gateway's keys of the <c>Gateway</c> section, its front doors
/// (<c>app.MapLlmGateway()</c>) and the spend page at <c>/spend.html</c>. <c>Program</c> runs it; tests build it on a
/// loopback port of their choosing.
/// </summary>
public static class GatewayApp
{
    /// <summary>Builds the host.</summary>
    /// <param name="args">The command line (<c>--urls</c>, <c>--AI:Provider=openai</c>…).</param>
    /// <param name="configure">Configures the builder before the host reads its configuration (tests).</param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(GatewayApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        // Slow or stalled callers are cut off by Kestrel's own limits: headers within 10 s, bodies at 240 bytes/s after 5 s.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        builder.Services.AddChatProviderEmulator(o => o.ChunkDelay = builder.Configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? TimeSpan.FromMilliseconds(5));
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
        builder.Services.AddLlmGateway(builder.Configuration.GetSection("Gateway"));

        var app = builder.Build();
        var page = new EmbeddedFileProvider(typeof(GatewayApp).Assembly, "LlmAdapters.Samples.Gateway.wwwroot");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        app.MapGet("/", () => Results.Redirect("/spend.html"));
        app.MapLlmGateway();
        return app;
    }
}
