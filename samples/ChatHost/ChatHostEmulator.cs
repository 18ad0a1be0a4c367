// Licensed under the MIT License.

using LlmAdapters.Emulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// Starts the in-process provider emulator with the host, and stops it with the host, when a configured client has no
/// provider, or has a provider the emulator speaks (<c>openai</c>, <c>anthropic</c>) but neither a key nor an endpoint.
/// Those clients are pointed at it; the others talk to their real provider. A singleton service: tests reach the
/// running emulator through <see cref="Server"/> (to inject faults and read the requests it received).
/// </summary>
/// <remarks>
/// Configuration is validated when the host starts, before any hosted service runs, so the emulated clients get their
/// provider and key at build time and an endpoint that cannot resolve (<c>http://emulator.invalid/</c>) until the
/// emulator listens and the real address replaces it. A client is built on its first request, after the start.
/// </remarks>
public sealed class ChatHostEmulator : IHostedService, IAsyncDisposable
{
    /// <summary>The configuration section of the clients.</summary>
    public const string SectionName = "AI";

    /// <summary>The API key the emulated clients send (the emulator accepts any).</summary>
    public const string EmulatorApiKey = "emulator";

    private static readonly Uri s_pendingEndpoint = new("http://emulator.invalid/");

    private static readonly Dictionary<string, string> s_emulatedProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "OPENAI_API_KEY",
        ["anthropic"] = "ANTHROPIC_API_KEY",
    };

    private readonly IReadOnlyList<EmulatedClient> _clients;
    private readonly EmulatorConfigurationSource? _configuration;
    private readonly EmulatorOptions _options;
    private readonly ILogger _logger;
    private int _stopped;

    private ChatHostEmulator(IReadOnlyList<EmulatedClient> clients, EmulatorConfigurationSource? configuration, EmulatorOptions options, ILogger logger)
    {
        _clients = clients;
        _configuration = configuration;
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets the running emulator, or <see langword="null"/> when every client has a real provider (or before the host starts).</summary>
    public EmulatorServer? Server { get; private set; }

    /// <summary>Gets the names of the clients the emulator answers for.</summary>
    public IReadOnlyList<string> ClientNames => [.. _clients.Select(c => c.Name)];

    /// <summary>Gets whether the emulator answers for a client.</summary>
    /// <param name="clientName">The client name.</param>
    /// <returns><see langword="true"/> when the client is pointed at the emulator.</returns>
    public bool Answers(string clientName) => _clients.Any(c => string.Equals(c.Name, clientName, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_clients.Count == 0)
        {
            return;
        }

        var server = await EmulatorServer.StartAsync(_options, cancellationToken);
        Server = server;
        _configuration!.SetAll(_clients.Select(c => new KeyValuePair<string, string?>(
            c.Section + ":Endpoint",
            (string.Equals(c.Dialect, "anthropic", StringComparison.OrdinalIgnoreCase) ? server.AnthropicEndpoint : server.OpenAIEndpoint).ToString())));
        Log.EmulatorStarted(_logger, string.Join(" or ", _clients.Select(c => c.Missing).Distinct()), string.Join(", ", _clients.Select(c => c.Name)), server.BaseAddress);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Registered as the singleton and as the hosted service: stopped once, whoever comes first.
        if (Server is { } server && Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Decides which clients the emulator answers for, points them at it with a configuration layer of their own, and
    /// registers the service. Call it after every other configuration source is added.
    /// </summary>
    internal static void AddTo(WebApplicationBuilder builder)
    {
        var clients = Plan(builder.Configuration.GetSection(SectionName), Environment.GetEnvironmentVariable);
        EmulatorConfigurationSource? source = null;
        if (clients.Count > 0)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var client in clients)
            {
                values[client.Section + ":Provider"] = client.Dialect;
                values[client.Section + ":ApiKey"] = EmulatorApiKey;
                values[client.Section + ":Endpoint"] = s_pendingEndpoint.ToString();
            }

            source = new EmulatorConfigurationSource(values);
            ((IConfigurationBuilder)builder.Configuration).Add(source);
        }

        var options = new EmulatorOptions
        {
            ChunkDelay = builder.Configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? TimeSpan.FromMilliseconds(30),
        };
        builder.Services.AddSingleton(sp => new ChatHostEmulator(clients, source, options, sp.GetService<ILogger<ChatHostEmulator>>() ?? (ILogger)NullLogger.Instance));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatHostEmulator>());
    }

    /// <summary>
    /// The clients to emulate, named as <c>AddConfiguredChatClients</c> names them: <c>default</c> (the top-level keys,
    /// or <c>Clients:default</c>) and each <c>Clients:{name}</c>, each key its own or else the shared one.
    /// </summary>
    private static List<EmulatedClient> Plan(IConfigurationSection ai, Func<string, string?> environment)
    {
        var declared = ai.GetSection("Clients").GetChildren().Select(c => c.Key).ToList();
        var names = declared.Where(n => !string.Equals(n, "default", StringComparison.OrdinalIgnoreCase)).ToList();
        if (ai["Provider"] is not null || declared.Count == 0 || declared.Count > names.Count)
        {
            names.Insert(0, declared.FirstOrDefault(n => string.Equals(n, "default", StringComparison.OrdinalIgnoreCase)) ?? "default");
        }

        var plan = new List<EmulatedClient>();
        foreach (var name in names)
        {
            string? Get(string key) => ai[$"Clients:{name}:{key}"] ?? ai[key];
            bool HasKeys(string path) => ai.GetSection(path).GetChildren().Any(c => !string.IsNullOrEmpty(c.Value));

            var provider = Get("Provider");
            if (string.IsNullOrWhiteSpace(provider))
            {
                plan.Add(new EmulatedClient(name, "openai", "provider"));
                continue;
            }

            var hasKey = !string.IsNullOrEmpty(Get("ApiKey"))
                || HasKeys($"Clients:{name}:Pipeline:ApiKeys") || HasKeys("Pipeline:ApiKeys")
                || (s_emulatedProviders.TryGetValue(provider.Trim(), out var variable) && !string.IsNullOrEmpty(environment(variable)));
            if (s_emulatedProviders.ContainsKey(provider.Trim()) && !hasKey && string.IsNullOrWhiteSpace(Get("Endpoint")))
            {
                plan.Add(new EmulatedClient(name, provider.Trim().ToLowerInvariant(), provider.Trim() + " key"));
            }
        }

        return plan;
    }
}
