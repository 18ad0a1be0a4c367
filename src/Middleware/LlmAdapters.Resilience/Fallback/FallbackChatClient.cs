// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Resilience;

/// <summary>
/// Falls back along an ordered list of clients (other providers, or other models of the same provider) when a call fails
/// with a kind in <see cref="FallbackChatClientOptions.FailOverOn"/>; a client that keeps failing is skipped for a cool-down.
/// The name of the client that served a response is in its <see cref="ChatResponse.AdditionalProperties"/> (and the first
/// streamed update's) under <see cref="ServedByKey"/>, and in the tag of the same name on the current activity.
/// </summary>
/// <remarks>
/// <para>Built on M.E.AI's <see cref="FailoverChatClient"/> (experimental), which this class keeps out of its public surface.
/// A stream never fails over once its first update has reached the caller.</para>
/// <para>The inner (primary) client is disposed with this one; the fallback clients belong to the caller.
/// Thread safety: an instance may be shared by concurrent calls.</para>
/// </remarks>
public sealed class FallbackChatClient : DelegatingChatClient
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> and of the activity tag naming the client that served the response.</summary>
    public const string ServedByKey = ResilienceTelemetry.FallbackClientTag;

    private readonly IChatClient _primary;
    private readonly FallbackRouter _router;

    /// <summary>Initializes a new instance of the <see cref="FallbackChatClient"/> class.</summary>
    /// <param name="innerClient">The primary client; it is disposed with this one.</param>
    /// <param name="fallbackClients">The clients to fall back to, in order, each with its name; the caller owns them.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="fallbackClients"/> is null.</exception>
    /// <exception cref="ArgumentException">A fallback name is empty or a client is null.</exception>
    public FallbackChatClient(
        IChatClient innerClient,
        IEnumerable<KeyValuePair<string, IChatClient>> fallbackClients,
        FallbackChatClientOptions? options = null,
        ILogger? logger = null)
        : this(innerClient, CreateRouter(innerClient, fallbackClients, [], options ?? new FallbackChatClientOptions(), logger))
    {
    }

    /// <summary>Initializes a new instance with clients reached only through <see cref="FallbackChatClientOptions.FallbackByKind"/> too.</summary>
    /// <param name="innerClient">The primary client; it is disposed with this one.</param>
    /// <param name="fallbackClients">The clients of the order after the primary, each with its name and model (<see langword="null"/> when its metadata says it).</param>
    /// <param name="kindOnlyClients">The clients that only a typed fallback goes to.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    internal FallbackChatClient(
        IChatClient innerClient,
        IEnumerable<(string Name, IChatClient Client, string? ModelId)> fallbackClients,
        IEnumerable<KeyValuePair<string, IChatClient>> kindOnlyClients,
        FallbackChatClientOptions options,
        ILogger? logger)
        : this(innerClient, CreateRouter(innerClient, fallbackClients, kindOnlyClients, options, logger))
    {
    }

    private FallbackChatClient(IChatClient primary, FallbackRouter router)
        : base(router)
    {
        _primary = primary;
        _router = router;
    }

    /// <summary>Gets the names of the clients in fallback order, the primary first.</summary>
    public IReadOnlyList<string> ClientNames => _router.Targets.Select(t => t.Name).ToArray();

    /// <summary>Gets whether a client is skipped for now because it kept failing.</summary>
    /// <param name="clientName">The client's name.</param>
    /// <returns><see langword="true"/> while the client's circuit is open.</returns>
    public bool IsCoolingDown(string clientName) =>
        _router.Targets.Any(t => string.Equals(t.Name, clientName, StringComparison.Ordinal) && _router.IsOpen(t));

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _primary.GetService(serviceType, serviceKey);
    }

    private static FallbackRouter CreateRouter(
        IChatClient primary,
        IEnumerable<KeyValuePair<string, IChatClient>> fallbackClients,
        IEnumerable<KeyValuePair<string, IChatClient>> kindOnlyClients,
        FallbackChatClientOptions options,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(fallbackClients);
        return CreateRouter(primary, fallbackClients.Select(f => (f.Key, f.Value, (string?)null)), kindOnlyClients, options, logger);
    }

    private static FallbackRouter CreateRouter(
        IChatClient primary,
        IEnumerable<(string Name, IChatClient Client, string? ModelId)> fallbackClients,
        IEnumerable<KeyValuePair<string, IChatClient>> kindOnlyClients,
        FallbackChatClientOptions options,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(fallbackClients);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var targets = new List<FallbackTarget> { new(options.PrimaryName, primary, ownsClient: true, NewCircuit(options), options.TimeProvider) };
        void Add(string name, IChatClient client, string? modelId)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(fallbackClients));
            if (client is null)
            {
                throw new ArgumentException("A fallback client is null.", nameof(fallbackClients));
            }

            if (targets.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"The fallback target '{name}' is named twice.", nameof(fallbackClients));
            }

            targets.Add(new FallbackTarget(name, client, ownsClient: false, NewCircuit(options), options.TimeProvider, modelId));
        }

        foreach (var (name, client, modelId) in fallbackClients)
        {
            Add(name, client, modelId);
        }

        var orderLength = targets.Count;
        foreach (var (name, client) in kindOnlyClients)
        {
            Add(name, client, null);
        }

        return new FallbackRouter([.. targets], orderLength, options, logger ?? NullLogger.Instance);
    }

    private static CircuitBreaker NewCircuit(FallbackChatClientOptions options) =>
        new(options.FailureThreshold, options.SamplingWindow, options.BreakDuration);
}
