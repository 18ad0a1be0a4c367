// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>What an <see cref="IChatRoutingStore"/> shares about the targets of one scope.</summary>
public sealed class ChatRoutingSnapshot
{
    /// <summary>Initializes a new instance of the <see cref="ChatRoutingSnapshot"/> class.</summary>
    /// <param name="cooldowns">The targets cooling down (taken out of the order by any process), by name, with when that ends.</param>
    /// <param name="latencies">The moving average of each measured target's time to first token, by name.</param>
    /// <param name="affinityTarget">The target that served the conversation asked for, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="cooldowns"/> or <paramref name="latencies"/> is null.</exception>
    public ChatRoutingSnapshot(IReadOnlyDictionary<string, DateTimeOffset> cooldowns, IReadOnlyDictionary<string, TimeSpan> latencies, string? affinityTarget)
    {
        Cooldowns = cooldowns ?? throw new ArgumentNullException(nameof(cooldowns));
        Latencies = latencies ?? throw new ArgumentNullException(nameof(latencies));
        AffinityTarget = affinityTarget;
    }

    /// <summary>Gets a snapshot with nothing in it.</summary>
    public static ChatRoutingSnapshot Empty { get; } = new(new Dictionary<string, DateTimeOffset>(), new Dictionary<string, TimeSpan>(), null);

    /// <summary>Gets the targets cooling down, by name, with when that ends.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Cooldowns { get; }

    /// <summary>Gets the moving average of each measured target's time to first token, by name.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Latencies { get; }

    /// <summary>Gets the target that served the conversation asked for, or <see langword="null"/>.</summary>
    public string? AffinityTarget { get; }
}
