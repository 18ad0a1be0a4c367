// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>
/// The routing core of <see cref="ApiKeyRotationChatClient"/>, on M.E.AI's <see cref="FailoverChatClient"/>: chooses a key
/// that is not cooling down, and when a key fails with a cool-down kind, cools it and moves the same call on to another key.
/// </summary>
internal sealed partial class ApiKeyRouter : FailoverChatClient
{
    private readonly ApiKeySlot[] _slots;
    private readonly ApiKeyRotationChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly string _providerName;
    private readonly ConditionalWeakTable<RoutingContext, TriedKeys> _tried = [];
    private int _turn = -1;

    public ApiKeyRouter(ApiKeySlot[] slots, ApiKeyRotationChatClientOptions options, ILogger logger)
    {
        _slots = slots;
        _options = options;
        _logger = logger;
        _providerName = ResilienceErrors.GetProviderName(slots[0]);
    }

    public IReadOnlyList<ApiKeySlot> Slots => _slots;

    public bool IsCooling(int index) => _slots[index].IsCooling(_options.TimeProvider.GetUtcNow(), out _, out _);

    private ValueTask<IChatClient> SelectLocalAsync(RoutingContext context)
    {
        // A lock-free read: a call's first choice finds nothing here, and only a failed attempt records its key (below), so that
        // the steady state takes no table lock and allocates no handle per call (issue 24).
        _tried.TryGetValue(context, out var tried);
        var now = _options.TimeProvider.GetUtcNow();
        var start = (int)((uint)Interlocked.Increment(ref _turn) % (uint)_slots.Length);
        ApiKeySlot? chosen = null;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[(start + i) % _slots.Length];
            if (tried?.Contains(slot.Index) == true || slot.IsCooling(now, out _, out _))
            {
                continue;
            }

            if (_options.Strategy == ApiKeySelectionStrategy.RoundRobin)
            {
                chosen = slot;
                break;
            }

            if (chosen is null || slot.InFlight < chosen.InFlight)
            {
                chosen = slot;
            }
        }

        if (chosen is null)
        {
            _tried.Remove(context);
            throw AllCooling(now);
        }

        chosen.Enter();
        return new ValueTask<IChatClient>(chosen);
    }

    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        var slot = (ApiKeySlot)attempt.Client;
        slot.Leave();
        if (isTerminal && _tried.TryGetValue(context, out _))
        {
            _tried.Remove(context); // only when a failure recorded a key: Remove takes the table's lock
        }

        if (attempt.Exception is not { } exception || exception is OperationCanceledException)
        {
            return default;
        }

        if (!isTerminal)
        {
            // The call may move on: the failed key is not chosen again for it.
            _tried.GetValue(context, static _ => new TriedKeys()).Add(slot.Index);
        }

        var kind = ResilienceErrors.GetKind(exception);
        var coolDown = kind is { } k && _options.CooldownOn.Contains(k);
        if (coolDown)
        {
            var duration = kind is ChatProviderErrorKind.Authentication or ChatProviderErrorKind.PermissionDenied
                ? _options.AuthenticationCooldown
                : ResilienceErrors.GetRetryAfter(exception) ?? _options.Cooldown;
            slot.CoolDown(_options.TimeProvider.GetUtcNow() + duration, kind!.Value);
            ShareCooldown(slot, _options.TimeProvider.GetUtcNow() + duration, kind.Value);
            ResilienceTelemetry.ApiKeyCooldowns.Add(
                1,
                new KeyValuePair<string, object?>(ResilienceTelemetry.ApiKeyIndexTag, slot.Index),
                new KeyValuePair<string, object?>(ResilienceTelemetry.ErrorTypeTag, kind.ToString()));
            Log.CoolingDown(_logger, slot.Index, kind.Value.ToString(), duration.TotalMilliseconds);
        }

        if (!isTerminal && (!coolDown || !HasCandidate(context)))
        {
            _tried.Remove(context);
            return ValueTask.FromException(exception);
        }

        return default;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var slot in _slots)
            {
                slot.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private bool HasCandidate(RoutingContext context)
    {
        var now = _options.TimeProvider.GetUtcNow();
        _tried.TryGetValue(context, out var tried);
        return _slots.Any(s => (tried is null || !tried.Contains(s.Index)) && !s.IsCooling(now, out _, out _));
    }

    private ChatProviderException AllCooling(DateTimeOffset now)
    {
        TimeSpan? soonestRateLimit = null;
        foreach (var slot in _slots)
        {
            if (slot.IsCooling(now, out var remaining, out var reason) && reason is not (ChatProviderErrorKind.Authentication or ChatProviderErrorKind.PermissionDenied) &&
                (soonestRateLimit is null || remaining < soonestRateLimit))
            {
                soonestRateLimit = remaining;
            }
        }

        return soonestRateLimit is { } wait
            ? new ChatProviderException(ChatProviderErrorKind.RateLimited, _providerName, "Every API key is cooling down after rate limits.")
            {
                ErrorCode = "all_keys_cooling_down",
                RetryAfter = wait,
            }
            : new ChatProviderException(ChatProviderErrorKind.Authentication, _providerName, "Every API key failed authentication and is cooling down.")
            {
                ErrorCode = "all_keys_cooling_down",
            };
    }

    /// <summary>The keys one call has tried: a bit per key up to 64 keys (one small object per call, not a hash set and its arrays), a set beyond.</summary>
    private sealed class TriedKeys
    {
        private ulong _mask;
        private HashSet<int>? _more;

        public bool Contains(int index) => index < 64 ? (_mask & (1UL << index)) != 0 : _more?.Contains(index) == true;

        public void Add(int index)
        {
            if (index < 64)
            {
                _mask |= 1UL << index;
            }
            else
            {
                (_more ??= []).Add(index);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2040, LogLevel.Warning, "API key #{KeyIndex} failed ({ErrorType}): cooling down for {CooldownMs} ms.", EventName = "ApiKeyCoolingDown")]
        public static partial void CoolingDown(ILogger logger, int keyIndex, string errorType, double cooldownMs);
    }
}
