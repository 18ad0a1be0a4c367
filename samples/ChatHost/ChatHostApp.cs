// Licensed under the MIT License.

using Microsoft.Extensions.FileProviders;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// Builds the chat host: the configured clients of the <c>AI</c> section (validated when the host starts), the
/// emulator for the clients whose provider is <c>emulator</c>, the chat endpoints and the page. <c>Program</c> runs it;
/// tests build it on a loopback port of their choosing and start it themselves.
/// </summary>
public static class ChatHostApp
{
    /// <summary>Builds the host.</summary>
    /// <param name="args">The command line (configuration: <c>--urls</c>, <c>--AI:Provider=openai</c>…).</param>
    /// <param name="configure">Configures the builder before the host reads its configuration (tests: URLs, configuration, logging).</param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ChatHostApp).Assembly.GetName().Name,

            // appsettings.json is copied beside the assembly: found from any working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        // AI:Provider=emulator (the sample's appsettings.json): an emulator started and stopped with the host, no key.
        builder.Services.AddChatProviderEmulator(o => o.ChunkDelay = builder.Configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? TimeSpan.FromMilliseconds(30));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ChatHostJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(ChatHostLimits.From(builder.Configuration));
        builder.Services.AddConfiguredChatClients(builder.Configuration.GetSection("AI"));
        HealthEndpoint.AddTo(builder.Services);

        var app = builder.Build();
        var page = new EmbeddedFileProvider(typeof(ChatHostApp).Assembly, "LlmAdapters.Samples.ChatHost.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        app.MapChatEndpoints();
        app.MapHealthEndpoint();
        return app;
    }
}
