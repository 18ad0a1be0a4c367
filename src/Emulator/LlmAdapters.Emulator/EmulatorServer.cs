// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LlmAdapters.Emulator;

/// <summary>
/// A loopback HTTP server that speaks the providers' wire dialects with a deterministic model, scripted replies and
/// injected faults. Start it in-process with <see cref="StartAsync"/>, or standalone with <c>dotnet run --project src/Emulator/LlmAdapters.Emulator</c>.
/// </summary>
/// <remarks>Thread-safe: faults, replies and the request log may be used from any thread while requests are served.</remarks>
public sealed class EmulatorServer : IAsyncDisposable
{
    private static readonly IEmulatorDialect[] s_dialects =
    [
        new OpenAIDialect(),
        new AnthropicDialect(),
        new OllamaDialect(),
        new DashScopeDialect(),
        new GeminiDialect(),
    ];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EmulatorRequest> _requests = new();
    private readonly Lock _faultLock = new();
    private readonly List<EmulatorFault> _faults = [];
    private readonly Lock _replyLock = new();
    private readonly List<EmulatorReply> _replies = [];
    private int _requestCount;

    private EmulatorServer(WebApplication app, EmulatorOptions options)
    {
        _app = app;
        Options = options;
    }

    /// <summary>Gets the signatures this server issues (thinking signatures, thought signatures) and alone recognises.</summary>
    public EmulatorSignatures Signatures { get; } = new();

    /// <summary>Gets the server's options.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Gets the base address, e.g. <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the OpenAI-compatible endpoint (the base address and <c>v1</c>).</summary>
    public Uri OpenAIEndpoint => new(BaseAddress, "v1");

    /// <summary>Gets the Anthropic endpoint (the base address: the adapter adds <c>/v1/messages</c>).</summary>
    public Uri AnthropicEndpoint => BaseAddress;

    /// <summary>Gets the Ollama endpoint (the base address: the adapter adds <c>/api/chat</c>).</summary>
    public Uri OllamaEndpoint => BaseAddress;

    /// <summary>Gets the DashScope native endpoint (the base address: the adapter adds <c>/api/v1/services/aigc/…</c>).</summary>
    public Uri DashScopeEndpoint => BaseAddress;
    /// <summary>Gets the Gemini endpoint (the base address: the adapter adds <c>/v1beta/models/{model}:generateContent</c>).</summary>
    public Uri GeminiEndpoint => BaseAddress;

    /// <summary>Gets the number of provider requests received.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Gets the provider requests received, in order.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => [.. _requests];

    /// <summary>Gets the names of the dialects the emulator speaks.</summary>
    public static IReadOnlyList<string> Dialects { get; } = [.. s_dialects.Select(d => d.Name)];

    /// <summary>Starts an emulator on a loopback port.</summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (a free port).</param>
    /// <param name="cancellationToken">The token to cancel the start.</param>
    /// <returns>The running server; dispose of it to stop it.</returns>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // In-process, the emulator must not take the host process's Ctrl+C or SIGTERM: its owner stops it.
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new EmulatorServer(app, options);
        foreach (var dialect in s_dialects)
        {
            dialect.Map(app, server);
        }

        server.MapControl(app);
        ModelListEndpoints.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Injects a fault into the next matching request(s).</summary>
    /// <param name="fault">The fault.</param>
    public void EnqueueFault(EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_faultLock)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Scripts the reply to the next matching request.</summary>
    /// <param name="reply">The reply.</param>
    public void EnqueueReply(EmulatorReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_replyLock)
        {
            _replies.Add(reply);
        }
    }

    /// <summary>Gets the fault queue: <c>Faults.Enqueue(fault)</c> reads like a queue in tests.</summary>
    public FaultSchedule Faults => new(this);

    /// <summary>Gets the reply queue: <c>Replies.Enqueue(reply)</c>.</summary>
    public ReplyScript Replies => new(this);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal void Record(string dialect, HttpContext context, string body)
    {
        Interlocked.Increment(ref _requestCount);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new EmulatorRequest(dialect, context.Request.Path.Value ?? "", body, headers));
    }

    internal EmulatorFault? TakeFault(string dialect)
    {
        lock (_faultLock)
        {
            var index = _faults.FindIndex(f => f.Dialect is null || string.Equals(f.Dialect, dialect, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (--fault.Times <= 0)
            {
                _faults.RemoveAt(index);
            }

            return fault;
        }
    }

    internal EmulatorReply? TakeReply(string dialect)
    {
        lock (_replyLock)
        {
            var index = _replies.FindIndex(r => r.Dialect is null || string.Equals(r.Dialect, dialect, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var reply = _replies[index];
            if (--reply.Times <= 0)
            {
                _replies.RemoveAt(index);
            }

            return reply;
        }
    }

    private void MapControl(WebApplication app)
    {
        // Control endpoints for a standalone emulator: inject faults and script replies over HTTP.
        app.MapPost("/_emulator/faults", async context =>
        {
            var fault = await JsonSerializer.DeserializeAsync<EmulatorFault>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
            EnqueueFault(fault ?? throw new BadHttpRequestException("A fault is required."));
            context.Response.StatusCode = 204;
        });
        app.MapPost("/_emulator/replies", async context =>
        {
            var reply = await JsonSerializer.DeserializeAsync<EmulatorReply>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
            EnqueueReply(reply ?? throw new BadHttpRequestException("A reply is required."));
            context.Response.StatusCode = 204;
        });
        app.MapGet("/_emulator/requests", context => context.Response.WriteAsJsonAsync(Requests.Select(r => new { r.Dialect, r.Path, r.Body }), context.RequestAborted));
        app.MapGet("/", context => context.Response.WriteAsync($"LlmAdapters emulator. Dialects: {string.Join(", ", Dialects)}.\n", context.RequestAborted));
    }

    /// <summary>A view of the server's faults that reads like a queue.</summary>
    /// <param name="server">The server.</param>
    public readonly struct FaultSchedule(EmulatorServer server)
    {
        /// <summary>Injects a fault into the next matching request(s).</summary>
        /// <param name="fault">The fault.</param>
        public void Enqueue(EmulatorFault fault) => server.EnqueueFault(fault);
    }

    /// <summary>A view of the server's scripted replies that reads like a queue.</summary>
    /// <param name="server">The server.</param>
    public readonly struct ReplyScript(EmulatorServer server)
    {
        /// <summary>Scripts the reply to the next matching request.</summary>
        /// <param name="reply">The reply.</param>
        public void Enqueue(EmulatorReply reply) => server.EnqueueReply(reply);
    }
}
