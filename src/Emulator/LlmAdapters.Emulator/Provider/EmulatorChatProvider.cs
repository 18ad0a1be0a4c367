// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Emulator;

/// <summary>
/// The <c>emulator</c> provider of configured chat clients (<c>AI:Provider</c> = <c>emulator</c>): an in-process
/// <see cref="EmulatorServer"/> on a free loopback port, started with the host (it is an <see cref="IHostedService"/>) when
/// a client of the <c>AI</c> section names it, or on the first call of such a client when no host runs, and stopped with
/// the host (or when the service provider is disposed of). Registered by <c>services.AddChatProviderEmulator()</c>.
/// </summary>
/// <remarks>
/// <para>
/// The emulator speaks every dialect; a client's <c>Dialect</c> key (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>,
/// <c>ollama</c>, <c>dashscope-native</c>) picks the registered adapter that talks to it. Without the key, the first of
/// those the application registered is used, so that an application with one adapter package needs no key at all.
/// The adapter is the real one, over real HTTP: only the server is emulated.
/// </para>
/// <para>
/// Configuration is validated when the host starts, before any hosted service runs, so <see cref="DefaultEndpoint"/> is a
/// placeholder (<c>http://emulator.invalid/</c>) until the emulator listens; a client talks to the emulator's real address
/// whatever its settings say. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class EmulatorChatProvider : IChatProviderFactory, IHostedService, IAsyncDisposable
{
    /// <summary>The provider name that selects the emulator.</summary>
    public const string ProviderName = "emulator";

    /// <summary>The model the emulated clients use when <c>AI:Model</c> is not set.</summary>
    public const string DefaultModelId = "gpt-4o-mini";

    /// <summary>The client's key that picks the adapter talking to the emulator.</summary>
    public const string DialectKey = "Dialect";

    private static readonly Uri s_pendingEndpoint = new("http://emulator.invalid/");

    private readonly EmulatorOptions _options;
    private readonly ILogger _logger;
    private readonly IConfiguration? _section;
    private readonly Lock _lock = new();
    private Task<EmulatorServer>? _starting;
    private EmulatorServer? _server;
    private bool _disposed;

    internal EmulatorChatProvider(EmulatorOptions options, ILogger logger, IConfiguration? section)
    {
        _options = options;
        _logger = logger;
        _section = section;
    }

    /// <summary>Gets the dialects a client's <c>Dialect</c> key may name, in the order tried when it names none.</summary>
    public static IReadOnlyList<string> DialectProviders { get; } = ["openai", "anthropic", "gemini", "ollama", "dashscope-native"];

    /// <summary>Gets the running emulator (to queue faults and replies, or read the requests it received), or <see langword="null"/> before it starts.</summary>
    public EmulatorServer? Server => Volatile.Read(ref _server);

    /// <inheritdoc/>
    public string Name => ProviderName;

    /// <inheritdoc/>
    public string? ApiKeyEnvironmentVariable => null;

    /// <inheritdoc/>
    public bool RequiresApiKey => false;

    /// <inheritdoc/>
    public Uri? DefaultEndpoint => Server?.BaseAddress ?? s_pendingEndpoint;

    /// <inheritdoc/>
    public string? DefaultModel => DefaultModelId;

    /// <inheritdoc/>
    public IReadOnlyCollection<string> ConfigurationKeys { get; } = [DialectKey];

    /// <summary>Starts the emulator unless it runs already (the host starts it; a call without a host does).</summary>
    /// <param name="cancellationToken">The token to stop waiting; the start itself goes on for the other callers.</param>
    /// <returns>The running emulator.</returns>
    /// <exception cref="ObjectDisposedException">The provider was disposed of (the host stopped).</exception>
    public Task<EmulatorServer> EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        Task<EmulatorServer> starting;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            starting = _starting ??= StartServerAsync();
        }

        return starting.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(pathOf);
        if (configuration[DialectKey] is { } dialect && !DialectProviders.Contains(dialect.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{pathOf(DialectKey)}: '{dialect}' is not a dialect of the emulator; use one of {string.Join(", ", DialectProviders)}.";
        }
    }

    /// <inheritdoc/>
    public ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings)
    {
        // Every dialect's client talks to the same server, which answers the OpenAI model list whatever the dialect.
        if (Server is not { } server)
        {
            return null;
        }

        var uri = new Uri(server.OpenAIEndpoint + "/models");
        return new ChatProviderHealthProbe(uri, () => new HttpRequestMessage(HttpMethod.Get, uri));
    }

    /// <inheritdoc/>
    public IChatClient CreateClient(ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var dialect = FindDialect(context);
        return Server is { } server ? CreateDialectClient(dialect, context, server) : new EmulatorStartingChatClient(this, dialect, context);
    }

    /// <summary>Creates the dialect's adapter at the running emulator's address.</summary>
    internal static IChatClient CreateDialectClient(IChatProviderFactory dialect, ChatProviderContext context, EmulatorServer server)
    {
        var endpoint = string.Equals(dialect.Name, "openai", StringComparison.OrdinalIgnoreCase) ? server.OpenAIEndpoint : server.BaseAddress;

        // Any key is accepted (one starting with "invalid" is refused, for tests of key errors); adapters that need one get one.
        var settings = context.Settings with { Endpoint = endpoint, ApiKey = context.Settings.ApiKey ?? "emulator" };
        return dialect.CreateClient(new ChatProviderContext(settings, context.Configuration, context.HttpClient, context.Services));
    }

    /// <inheritdoc/>
    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (IsNamedByConfiguration())
        {
            await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as the hosted service: stopped once, whoever comes first.
        Task<EmulatorServer>? starting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            starting = _starting;
        }

        if (starting is null)
        {
            return;
        }

        EmulatorServer server;
        try
        {
            server = await starting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return;   // it never listened: nothing to stop
        }

        Volatile.Write(ref _server, null);
        await server.DisposeAsync().ConfigureAwait(false);
        LogEmulatorStopped(_logger, server.BaseAddress);
    }

    private async Task<EmulatorServer> StartServerAsync()
    {
        try
        {
            var server = await EmulatorServer.StartAsync(_options, CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _server, server);
            LogEmulatorStarted(_logger, server.BaseAddress);
            return server;
        }
        catch
        {
            lock (_lock)
            {
                _starting = null;   // a failed start (no free port) is tried again by the next call
            }

            throw;
        }
    }

    /// <summary>
    /// Whether a client of the configured section names the emulator (<c>AI:Provider</c> or <c>AI:Clients:{name}:Provider</c>):
    /// only then does the host start it. Without a known section (no <c>AddConfiguredChatClients</c>), the registration itself asks for it.
    /// </summary>
    private bool IsNamedByConfiguration() =>
        _section is null || _section.AsEnumerable(makePathsRelative: true).Any(entry =>
            (string.Equals(entry.Key, "Provider", StringComparison.OrdinalIgnoreCase) || entry.Key.EndsWith(":Provider", StringComparison.OrdinalIgnoreCase)) &&
            string.Equals(entry.Value?.Trim(), ProviderName, StringComparison.OrdinalIgnoreCase));

    private IChatProviderFactory FindDialect(ChatProviderContext context)
    {
        var registered = context.Services.GetServices<IChatProviderFactory>().Where(f => !ReferenceEquals(f, this)).ToList();
        var named = context.Configuration[DialectKey]?.Trim();
        var candidates = named is null ? DialectProviders : [named];
        foreach (var candidate in candidates)
        {
            if (registered.LastOrDefault(f => string.Equals(f.Name, candidate, StringComparison.OrdinalIgnoreCase)) is { } factory)
            {
                return factory;
            }
        }

        throw new InvalidOperationException(named is null
            ? $"Client '{context.Settings.Name}' is on the emulator, which needs an adapter to talk to it: register one (services.AddOpenAIChatProviders(), AddAnthropicChatProvider(), AddGeminiChatProvider(), AddOllamaChatProvider() or AddDashScopeChatProvider()), or reference the LlmAdapters package."
            : $"Client '{context.Settings.Name}' is on the emulator in the '{named}' dialect ({DialectKey}), whose provider is not registered: add its package and its registration call.");
    }

    [LoggerMessage(EventId = 7001, EventName = "EmulatorStarted", Level = LogLevel.Information,
        Message = "AI:Provider is 'emulator': replies come from the built-in emulator at {Address}, offline (set AI__Provider and its API key to use a real provider).")]
    private static partial void LogEmulatorStarted(ILogger logger, Uri address);

    [LoggerMessage(EventId = 7002, EventName = "EmulatorStopped", Level = LogLevel.Debug, Message = "The built-in emulator at {Address} stopped.")]
    private static partial void LogEmulatorStopped(ILogger logger, Uri address);
}
