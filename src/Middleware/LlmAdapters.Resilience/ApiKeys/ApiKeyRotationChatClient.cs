// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Resilience;

/// <summary>
/// Spreads calls over several clients of one provider that differ only by API key (or deployment): round-robin or
/// least-in-flight. A key that fails with a kind in <see cref="ApiKeyRotationChatClientOptions.CooldownOn"/> (by default
/// <see cref="ChatProviderErrorKind.Authentication"/> and <see cref="ChatProviderErrorKind.RateLimited"/>) is put on cool-down and
/// the call moves on to another key at once; other failures are the caller's.
/// </summary>
/// <remarks>
/// <para>Keys are known by position only: logs, metrics and the <c>llmadapters.apikeys.index</c> activity tag carry the index, never a key.</para>
/// <para>This client owns the key clients and disposes them. A stream never moves to another key once its first update has
/// reached the caller. Thread safety: an instance may be shared by concurrent calls.</para>
/// </remarks>
public sealed class ApiKeyRotationChatClient : DelegatingChatClient
{
    private readonly ApiKeyRouter _router;

    /// <summary>Initializes a new instance of the <see cref="ApiKeyRotationChatClient"/> class.</summary>
    /// <param name="keyClients">One client per key, in order; this instance owns them.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyClients"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyClients"/> is empty or holds null.</exception>
    public ApiKeyRotationChatClient(IEnumerable<IChatClient> keyClients, ApiKeyRotationChatClientOptions? options = null, ILogger? logger = null)
        : this(CreateRouter(keyClients, options ?? new ApiKeyRotationChatClientOptions(), logger))
    {
    }

    private ApiKeyRotationChatClient(ApiKeyRouter router)
        : base(router)
    {
        _router = router;
    }

    /// <summary>Gets the number of keys.</summary>
    public int KeyCount => _router.Slots.Count;

    /// <summary>Gets whether a key is cooling down.</summary>
    /// <param name="index">The key's position, from 0.</param>
    /// <returns><see langword="true"/> while the key is skipped.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public bool IsCoolingDown(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, KeyCount);
        return _router.IsCooling(index);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _router.Slots[0].GetService(serviceType, serviceKey);
    }

    private static ApiKeyRouter CreateRouter(IEnumerable<IChatClient> keyClients, ApiKeyRotationChatClientOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(keyClients);
        options.Validate();
        var slots = keyClients.Select((client, i) => new ApiKeySlot(i, client ?? throw new ArgumentException("A key client is null.", nameof(keyClients)))).ToArray();
        if (slots.Length == 0)
        {
            throw new ArgumentException("At least one key client is required.", nameof(keyClients));
        }

        return new ApiKeyRouter(slots, options, logger ?? NullLogger.Instance);
    }
}
