// Licensed under the MIT License.

using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>The client of one API key, known by its position only (the key itself never leaves the adapter).</summary>
internal sealed class ApiKeySlot : DelegatingChatClient
{
    private readonly Lock _lock = new();
    private DateTimeOffset _coolUntil;
    private ChatProviderErrorKind _coolReason;
    private int _inFlight;

    public ApiKeySlot(int index, IChatClient client)
        : base(client)
    {
        Index = index;
    }

    public int Index { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Activity.Current?.SetTag(ResilienceTelemetry.ApiKeyIndexTag, Index);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Activity.Current?.SetTag(ResilienceTelemetry.ApiKeyIndexTag, Index);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public bool IsCooling(DateTimeOffset now, out TimeSpan remaining, out ChatProviderErrorKind reason)
    {
        lock (_lock)
        {
            remaining = _coolUntil > now ? _coolUntil - now : TimeSpan.Zero;
            reason = _coolReason;
            return remaining > TimeSpan.Zero;
        }
    }

    public void CoolDown(DateTimeOffset until, ChatProviderErrorKind reason)
    {
        lock (_lock)
        {
            if (until > _coolUntil)
            {
                _coolUntil = until;
                _coolReason = reason;
            }
        }
    }
}
