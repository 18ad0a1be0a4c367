// Licensed under the MIT License.

using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmAdapters.Emulator;
using LlmAdapters.Samples.ChatHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmAdapters.EndToEnd.Tests.ChatHost;

/// <summary>
/// The chat host started in-process on a free loopback port, spoken to over real HTTP. Its configuration is the
/// sample's appsettings.json (copied beside the tests), with the provider keys the environment might set masked, so
/// every client is answered by the emulator unless a test says otherwise.
/// </summary>
internal sealed class RunningChatHost : IAsyncDisposable
{
    private RunningChatHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;

        // No drain on dispose: a disposed response closes its connection at once, as a closed browser tab does.
        Http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Gets the emulator the host started (null when every client has a real provider).</summary>
    public EmulatorServer? Emulator => App.Services.GetRequiredService<EmulatorChatProvider>().Server;

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    /// <summary>Builds the host as the tests run it: loopback port 0, environment keys masked, logs collected.</summary>
    /// <param name="settings">Configuration values over the sample's appsettings.json.</param>
    /// <param name="configure">What a test adds to the host's services (a provider of its own, for example).</param>
    public static WebApplication Build(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null) =>
        ChatHostApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var values = new Dictionary<string, string?>
            {
                // The sample's own provider, whatever AI__Provider says on this machine; a null value hides the
                // AI__ApiKey... the machine would set.
                ["AI:Provider"] = "emulator",
                ["AI:ApiKey"] = null,
                ["AI:Endpoint"] = null,
                ["AI:Model"] = null,
                ["Emulator:ChunkDelay"] = "00:00:00",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders().AddFakeLogging();
            configure?.Invoke(builder);
        });

    public static Task<RunningChatHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default) =>
        StartAsync(settings, configure: null, cancellationToken);

    public static async Task<RunningChatHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken = default)
    {
        var app = Build(settings, configure);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        // Port 0 is resolved once Kestrel listens: the address the server reports is the real one.
        return new RunningChatHost(app, new Uri(app.Urls.Single()));
    }

    /// <summary>Posts to the streaming endpoint and parses every server-sent event of the answer.</summary>
    public async Task<(HttpResponseMessage Response, List<SseItem<string>> Events)> StreamAsync(string client, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/chat/{client}/stream") { Content = JsonContent.Create(body) };
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var events = new List<SseItem<string>>();
        if (response.IsSuccessStatusCode)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            {
                events.Add(item);
            }
        }

        return (response, events);
    }

    public static JsonElement Json(string data) => JsonDocument.Parse(data).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
