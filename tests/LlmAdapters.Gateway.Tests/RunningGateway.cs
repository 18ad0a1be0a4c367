// Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using LlmAdapters.Emulator;
using LlmAdapters.Samples.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmAdapters.Gateway.Tests;

/// <summary>
/// samples/Gateway started in-process on a free loopback port, on its emulator, with the test keys below. Retries are
/// off (one provider request per call) so that an injected fault is the answer the caller sees.
/// </summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    public const string DemoKey = "sk-test-demo-7Hq2Lw9Zt4";
    public const string LimitedKey = "sk-test-limited-3Km8Xp1Rs";
    public const string RpmKey = "sk-test-rpm-5Vb3Nc6Jd0";
    public const string BudgetKey = "sk-test-budget-9Fg5Ty2Ua";

    private RunningGateway(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public EmulatorServer Emulator => App.Services.GetRequiredService<EmulatorChatProvider>().Server!;

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["AI:Provider"] = "emulator",
        ["AI:ApiKey"] = null,
        ["AI:Endpoint"] = null,
        ["AI:Model"] = null,
        ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        ["Emulator:ChunkDelay"] = "00:00:00",
        ["Gateway:Keys:test:KeyHash"] = Hash(DemoKey),
        ["Gateway:Keys:test:Tenant"] = "team-a",
        ["Gateway:Keys:test:Admin"] = "true",
        ["Gateway:Keys:limited:KeyHash"] = Hash(LimitedKey),
        ["Gateway:Keys:limited:Clients:0"] = "fast",
        ["Gateway:Keys:limited:Tenant"] = "team-b",
        ["Gateway:Keys:rpm:KeyHash"] = Hash(RpmKey),
        ["Gateway:Keys:rpm:RateLimit:RequestsPerMinute"] = "2",
        ["Gateway:Keys:rpm:RateLimit:QueueLimit"] = "0",
        ["Gateway:Keys:budget:KeyHash"] = Hash(BudgetKey),
        ["Gateway:Keys:budget:Budget:Daily"] = "0.0000001",
        ["Gateway:MaxRequestBodyBytes"] = "65536",
    };

    public static WebApplication Build(IReadOnlyDictionary<string, string?>? settings = null) =>
        GatewayApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var values = DefaultSettings();
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
        });

    public static async Task<RunningGateway> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var app = Build(settings);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningGateway(app, new Uri(app.Urls.Single()));
    }

    public HttpRequestMessage Post(string path, string json, string? key = DemoKey, bool xApiKey = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            if (xApiKey)
            {
                request.Headers.Add("x-api-key", key);
                request.Headers.Add("anthropic-version", "2023-06-01");
            }
            else
            {
                request.Headers.Authorization = new("Bearer", key);
            }
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
