// Licensed under the MIT License.

using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using LlmAdapters.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Samples;

/// <summary>
/// The <c>emulator</c> provider of the web samples (ChatHost and Gateway link this one file): the clients whose <c>AI:Provider</c> is <c>emulator</c> (the sample's
/// appsettings.json says so, so a fresh clone runs offline with no key) are answered by an in-process emulator, started
/// with the host and stopped with it. Every other provider is used as configured: a real provider with no key fails the
/// start with the "needs an API key" message, it never falls back to the emulator. A singleton service: tests reach the
/// running emulator through <see cref="Server"/> (to inject faults and read the requests it received).
/// </summary>
/// <remarks>
/// Configuration is validated when the host starts, before any hosted service runs, so the provider's default endpoint
/// is a placeholder (<c>http://emulator.invalid/v1</c>) until the emulator listens. A client is built on its first
/// request, after the start, with the real address.
/// </remarks>
public sealed partial class SampleEmulator : IHostedService, IAsyncDisposable, IChatProviderFactory
{
    /// <summary>The configuration section of the clients.</summary>
    public const string SectionName = "AI";

    /// <summary>The provider name of the built-in emulator.</summary>
    public const string ProviderName = "emulator";

    /// <summary>The model the emulated clients use when <c>AI:Model</c> is not set.</summary>
    public const string DefaultModelId = "gpt-4o-mini";

    private static readonly Uri s_pendingEndpoint = new("http://emulator.invalid/v1");

    private readonly IReadOnlyList<string> _clients;
    private readonly EmulatorOptions _options;
    private readonly ILogger _logger;
    private int _stopped;

    private SampleEmulator(IReadOnlyList<string> clients, EmulatorOptions options, ILogger logger)
    {
        _clients = clients;
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets the running emulator, or <see langword="null"/> when no client uses it (or before the host starts).</summary>
    public EmulatorServer? Server { get; private set; }

    /// <summary>Gets the names of the clients the emulator answers for.</summary>
    public IReadOnlyList<string> ClientNames => _clients;

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => null;

    /// <inheritdoc/>
    public bool RequiresApiKey => false;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => Server?.OpenAIEndpoint ?? s_pendingEndpoint;

    /// <inheritdoc/>
    public string? DefaultModel => DefaultModelId;

    /// <summary>Gets whether the emulator answers for a client.</summary>
    /// <param name="clientName">The client name.</param>
    /// <returns><see langword="true"/> when the client's provider is <c>emulator</c>.</returns>
    public bool Answers(string clientName) => _clients.Contains(clientName, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = Server?.OpenAIEndpoint ?? throw new InvalidOperationException("The emulator has not started yet: clients are built once the host runs.");
        return new OpenAICompatibleChatProviderFactory(new OpenAICompatibleProvider(ProviderName, endpoint, null, requiresApiKey: false), DefaultModelId).CreateClient(context);
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_clients.Count == 0)
        {
            return;
        }

        Server = await EmulatorServer.StartAsync(_options, cancellationToken);
        LogEmulatorStarted(_logger, string.Join(", ", _clients), Server.BaseAddress);
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

    /// <summary>Registers the <c>emulator</c> provider and the service that runs the emulator for the clients that use it.</summary>
    /// <param name="builder">The host's builder.</param>
    /// <param name="defaultChunkDelay">The pause between two streamed chunks when <c>Emulator:ChunkDelay</c> is not set.</param>
    internal static void AddTo(WebApplicationBuilder builder, TimeSpan defaultChunkDelay)
    {
        var clients = Plan(builder.Configuration.GetSection(SectionName));
        var options = new EmulatorOptions
        {
            ChunkDelay = builder.Configuration.GetValue<TimeSpan?>("Emulator:ChunkDelay") ?? defaultChunkDelay,
        };
        builder.Services.AddSingleton(sp => new SampleEmulator(clients, options, sp.GetService<ILogger<SampleEmulator>>() ?? (ILogger)NullLogger.Instance));
        builder.Services.AddSingleton<IChatProviderFactory>(sp => sp.GetRequiredService<SampleEmulator>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SampleEmulator>());
    }

    /// <summary>
    /// The clients whose provider is <c>emulator</c>, named as <c>AddConfiguredChatClients</c> names them: <c>default</c>
    /// (the top-level keys, or <c>Clients:default</c>) and each <c>Clients:{name}</c>, each key its own or else the shared one.
    /// </summary>
    private static List<string> Plan(IConfigurationSection ai)
    {
        var declared = ai.GetSection("Clients").GetChildren().Select(c => c.Key).ToList();
        var names = declared.Where(n => !string.Equals(n, "default", StringComparison.OrdinalIgnoreCase)).ToList();
        if (ai["Provider"] is not null || declared.Count == 0 || declared.Count > names.Count)
        {
            names.Insert(0, declared.FirstOrDefault(n => string.Equals(n, "default", StringComparison.OrdinalIgnoreCase)) ?? "default");
        }

        return [.. names.Where(name => string.Equals((ai[$"Clients:{name}:Provider"] ?? ai["Provider"])?.Trim(), ProviderName, StringComparison.OrdinalIgnoreCase))];
    }

    [LoggerMessage(1, LogLevel.Information, "AI:Provider is 'emulator' for {Clients}: replies come from the built-in emulator at {Address}, offline (set AI__Provider and its API key to use a real provider).", EventName = "EmulatorStarted")]
    private static partial void LogEmulatorStarted(ILogger logger, string clients, Uri address);
}
