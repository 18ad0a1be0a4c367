// Licensed under the MIT License.

using LlmAdapters.Benchmarks;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.LoadTest;

/// <summary>
/// One path to the emulator: the bare reader; the adapter alone (<c>adapter</c>); the adapter under the plain
/// Microsoft.Extensions.AI chain of logging, OpenTelemetry and function invocation (<c>meai</c>); the default configured
/// pipeline; or the full one (every network-free stage on). The middle rows split the gap between bare and default into
/// the adapter's share, M.E.AI's own chain's and ours.
/// </summary>
internal sealed class LoadTarget : IAsyncDisposable
{
    public const string Model = "emulator-1";
    public const string Prompt = "Say hello to the load test in a short sentence";
    public const string ApiKey = "sk-load-emulator-00000000000000000000";

    private readonly HttpClient? _http;
    private readonly Uri? _uri;
    private readonly ServiceProvider? _services;
    private readonly IChatClient? _client;
    private readonly List<ChatMessage> _messages = [new(ChatRole.User, Prompt)];

    private LoadTarget(string dialect, string path, HttpClient? http, Uri? uri, ServiceProvider? services)
    {
        Dialect = dialect;
        Path = path;
        _http = http;
        _uri = uri;
        _services = services;
        if (services is null)
        {
            return;
        }

        _client = path switch
        {
            "adapter" => services.GetRequiredService<ConfiguredChatClients>().CreateProviderClient("default"),
            "meai" => services.GetRequiredService<ConfiguredChatClients>().CreateProviderClient("default").AsBuilder()
                .UseLogging(NullLoggerFactory.Instance)
                .UseOpenTelemetry()
                .UseFunctionInvocation()
                .Build(services),
            _ => services.GetRequiredService<IChatClient>(),
        };
    }

    public string Dialect { get; }

    public string Path { get; }

    public static LoadTarget Create(string dialect, string path, Uri emulator, int streams)
    {
        if (path == "bare")
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
            var uri = new Uri(emulator, dialect == "openai" ? "v1/chat/completions" : "v1/messages");
            return new LoadTarget(dialect, path, http, uri, services: null);
        }

        var settings = new Dictionary<string, string?>
        {
            ["AI:Provider"] = dialect,
            ["AI:Endpoint"] = (dialect == "openai" ? new Uri(emulator, "v1") : emulator).ToString(),
            ["AI:ApiKey"] = ApiKey,
            ["AI:Model"] = Model,
        };
        if (path == "full")
        {
            // Every stage that needs no network of its own (no distributed cache): limits far above the load, so they cost but never act.
            settings["AI:Pipeline:Budget:Daily"] = "1000000";
            settings["AI:Pipeline:Timeout:Total"] = "00:05:00";
            settings["AI:Pipeline:Timeout:Attempt"] = "00:02:00";
            settings["AI:Pipeline:Timeout:FirstUpdate"] = "00:01:00";
            settings["AI:Pipeline:Fallback:Models:0"] = "emulator-2";
            settings["AI:Pipeline:RateLimit:RequestsPerMinute"] = "100000000";
            settings["AI:Pipeline:RateLimit:MaxConcurrency"] = (streams * 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["AI:Pipeline:ApiKeys:0"] = ApiKey;
            settings["AI:Pipeline:ApiKeys:1"] = ApiKey + "b";
        }

        // LOADTEST_SETTINGS="AI:Pipeline:Retry:Enabled=false;…" adds or replaces settings, to find what a stage costs under load.
        foreach (var pair in (Environment.GetEnvironmentVariable("LOADTEST_SETTINGS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            settings[equals > 0 ? pair[..equals] : pair] = equals > 0 ? pair[(equals + 1)..] : "";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        return new LoadTarget(dialect, path, http: null, uri: null, services.BuildServiceProvider());
    }

    /// <summary>One streamed call, read to the end; throws unless it produced text.</summary>
    public async Task CallAsync(CancellationToken cancellationToken)
    {
        string text;
        if (_client is not null)
        {
            var chars = 0;
            await foreach (var update in _client.GetStreamingResponseAsync(_messages, cancellationToken: cancellationToken))
            {
                chars += update.Text.Length;
            }

            text = chars > 0 ? "ok" : string.Empty;
        }
        else
        {
            var answer = Dialect == "openai"
                ? await BareOpenAI.StreamAsync(_http!, _uri!, Model, Prompt, ApiKey)
                : await BareAnthropic.StreamAsync(_http!, _uri!, Model, Prompt, ApiKey);
            text = answer.Text;
        }

        if (text.Length == 0)
        {
            throw new InvalidOperationException($"{Dialect}/{Path}: an empty answer.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
