// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>
/// The routing core of <see cref="FallbackChatClient"/>, on M.E.AI's <see cref="FailoverChatClient"/>: the base owns the
/// invocation and the rule that a stream never fails over once an update has reached the caller; this class orders the
/// targets of each call (<see cref="ChatRoutingStrategy"/>, conversation affinity), chooses the next one (skipping open
/// circuits), turns to a typed fallback chain on the kinds of <see cref="FallbackChatClientOptions.FallbackByKind"/>, stops
/// on error kinds that must not fail over, and feeds the circuit breakers and the shared store.
/// </summary>
internal sealed partial class FallbackRouter : FailoverChatClient
{
    private readonly FallbackTarget[] _targets;
    private readonly FallbackTarget[] _order;
    private readonly Dictionary<ChatProviderErrorKind, FallbackTarget[]> _byKind;
    private readonly FallbackChatClientOptions _options;
    private readonly string _scope;
    private readonly ILogger _logger;
    private readonly ConversationAffinity _affinity = new();
    private readonly ConditionalWeakTable<RoutingContext, RequestState> _requests = [];

    /// <param name="targets">Every target, the primary first; those of the default order first, then those reached only by kind.</param>
    /// <param name="orderLength">How many of <paramref name="targets"/> make the default order.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    public FallbackRouter(FallbackTarget[] targets, int orderLength, FallbackChatClientOptions options, ILogger logger)
    {
        _targets = targets;
        _order = targets[..orderLength];
        _options = options;
        _scope = options.StoreScope ?? options.PrimaryName;
        _logger = logger;
        _byKind = [];
        foreach (var (kind, names) in options.FallbackByKind)
        {
            _byKind[kind] = [.. names.Select(name => Find(name) ?? throw new ArgumentException(
                $"FallbackByKind[{kind}] names '{name}', which is not a target of '{targets[0].Name}'. Its targets: {string.Join(", ", targets.Select(t => t.Name))}.",
                nameof(options)))];
        }

        foreach (var name in options.Weights.Keys)
        {
            if (Find(name) is null)
            {
                throw new ArgumentException(
                    $"Weights names '{name}', which is not a target of '{targets[0].Name}'. Its targets: {string.Join(", ", _order.Select(t => t.Name))}.", nameof(options));
            }
        }

        foreach (var target in targets)
        {
            target.FirstTokenMeasured = OnFirstToken;
        }
    }

    public IReadOnlyList<FallbackTarget> Targets => _targets;

    public bool IsOpen(FallbackTarget target) => target.Circuit.IsOpen(_options.TimeProvider.GetUtcNow(), out _);

    protected override async ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        if (!_requests.TryGetValue(context, out var state))
        {
            // The call's order is made once, before its first client is called: a bad override fails before anything is sent.
            state = await StartAsync(context, cancellationToken).ConfigureAwait(false);
            _requests.AddOrUpdate(context, state);
        }

        var now = _options.TimeProvider.GetUtcNow();
        var soonest = TimeSpan.MaxValue;
        for (; state.Next < state.Order.Count; state.Next++)
        {
            var target = state.Order[state.Next];
            if (!target.Circuit.IsOpen(now, out var remaining))
            {
                state.Next++;
                state.Tried.Add(target);
                return target;
            }

            soonest = remaining < soonest ? remaining : soonest;
            Log.Skipped(_logger, target.Name, remaining.TotalMilliseconds);
        }

        _requests.Remove(context);
        throw new ChatProviderException(
            ChatProviderErrorKind.Unavailable,
            ResilienceErrors.GetProviderName(_targets[0]),
            "Every client of the fallback order is failing and taken out of it for a cool-down.")
        {
            ErrorCode = "circuit_open",
            RetryAfter = soonest == TimeSpan.MaxValue ? null : soonest,
        };
    }

    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        var target = (FallbackTarget)attempt.Client;
        _requests.TryGetValue(context, out var state);
        if (isTerminal)
        {
            _requests.Remove(context);
        }

        if (attempt.Exception is not { } exception)
        {
            if (attempt.ResponseCompleted)
            {
                target.Circuit.RecordSuccess();
                if (state?.AffinityKey is { } key)
                {
                    RememberConversation(key, target);
                }
            }

            return default;
        }

        if (exception is OperationCanceledException)
        {
            return default;
        }

        var kind = ResilienceErrors.GetKind(exception);
        var failOver = kind is { } k && _options.FailOverOn.Contains(k);
        if (failOver && target.Circuit.RecordFailure(_options.TimeProvider.GetUtcNow()))
        {
            ResilienceTelemetry.CircuitOpened.Add(1, new KeyValuePair<string, object?>(ResilienceTelemetry.FallbackClientTag, target.Name));
            Log.CircuitOpened(_logger, target.Name, _options.BreakDuration.TotalMilliseconds);
            ShareCooldown(target, _options.TimeProvider.GetUtcNow() + _options.BreakDuration);
        }

        if (isTerminal)
        {
            return default;
        }

        // A typed fallback: the rest of the call goes along the chain of its kind instead of the order.
        if (state is not null && kind is { } typed && _byKind.TryGetValue(typed, out var chain) && !state.Overridden)
        {
            var next = chain.Where(t => !state.Tried.Contains(t)).ToList();
            if (next.Count > 0)
            {
                state.Order = next;
                state.Next = 0;
                failOver = true;
            }
        }

        var errorType = ResilienceErrors.GetErrorType(exception);
        if (!failOver || !HasAvailable(state))
        {
            // Stop here with the client's own failure: the next client would fail the same way (a bad request, filtered
            // content), or there is none left.
            _requests.Remove(context);
            return ValueTask.FromException(exception);
        }

        ResilienceTelemetry.FallbackSwitches.Add(
            1,
            new KeyValuePair<string, object?>(ResilienceTelemetry.FallbackClientTag, target.Name),
            new KeyValuePair<string, object?>(ResilienceTelemetry.ErrorTypeTag, errorType));
        Activity.Current?.AddEvent(new ActivityEvent("llmadapters.fallback.switch", tags: new ActivityTagsCollection
        {
            [ResilienceTelemetry.FallbackClientTag] = target.Name,
            [ResilienceTelemetry.ErrorTypeTag] = errorType,
        }));
        Log.FailingOver(_logger, target.Name, errorType);
        return default;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var target in _targets)
            {
                target.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<RequestState> StartAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        var overridden = OrderOf(context.ChatOptions);
        var affinityKey = _options.Affinity == ChatRoutingAffinity.Conversation ? ConversationAffinity.KeyOf(context.Messages, context.ChatOptions) : null;
        var now = _options.TimeProvider.GetUtcNow();
        var held = affinityKey is null ? null : _affinity.Get(affinityKey, now);
        if (_options.Store is { } store)
        {
            ChatRoutingSnapshot snapshot;
            try
            {
                snapshot = await store.GetAsync(_scope, affinityKey, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store reports its own failures; this process goes on with what it knows.
                snapshot = ChatRoutingSnapshot.Empty;
            }

            foreach (var (name, until) in snapshot.Cooldowns)
            {
                Find(name)?.Circuit.OpenUntil(until, now);
            }

            foreach (var (name, latency) in snapshot.Latencies)
            {
                Find(name)?.SetLatency(latency);
            }

            held = snapshot.AffinityTarget ?? held;
        }

        var order = overridden ?? RoutingOrder.Order(_order, _options, context.Messages, context.ChatOptions);
        var strategy = overridden is null ? _options.Strategy.ToString() : "Override";
        if (held is not null && Find(held) is { } holder && Array.IndexOf(order, holder) is > 0 and var at && !holder.Circuit.IsOpen(now, out _))
        {
            // The conversation's state is on that target: it goes first; the others stay its fallbacks.
            order = [holder, .. order[..at], .. order[(at + 1)..]];
        }

        Activity.Current?.SetTag(ResilienceTelemetryNames.RoutingStrategyTag, strategy);
        return new RequestState([.. order], affinityKey, overridden is not null);
    }

    private void RememberConversation(string key, FallbackTarget target)
    {
        var now = _options.TimeProvider.GetUtcNow();
        _affinity.Set(key, target.Name, now, now + _options.AffinityDuration);
        if (_options.Store is { } store)
        {
            _ = ShareAsync(() => store.SetAffinityAsync(_scope, key, target.Name, _options.AffinityDuration, CancellationToken.None));
        }
    }

    private void ShareCooldown(FallbackTarget target, DateTimeOffset until)
    {
        if (_options.Store is { } store)
        {
            _ = ShareAsync(() => store.SetCooldownAsync(_scope, target.Name, until, CancellationToken.None));
        }
    }

    private void OnFirstToken(FallbackTarget target, TimeSpan elapsed)
    {
        if (_options.Store is { } store && _options.Strategy == ChatRoutingStrategy.LowestLatency)
        {
            _ = ShareAsync(() => store.RecordLatencyAsync(_scope, target.Name, elapsed, FallbackChatClientOptions.LatencySmoothing, CancellationToken.None));
        }
    }

    // Runs on its own so that the call goes on at once; what is not shared stays local.
    private static async Task ShareAsync(Func<ValueTask> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store reports its own failures.
        }
    }

    private FallbackTarget? Find(string name) =>
        _targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    private bool HasAvailable(RequestState? state)
    {
        if (state is null)
        {
            return false;
        }

        var now = _options.TimeProvider.GetUtcNow();
        for (var i = state.Next; i < state.Order.Count; i++)
        {
            if (!state.Order[i].Circuit.IsOpen(now, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The call's own order when it overrides it: the primary followed by the call's own fallback clients
    /// (<see cref="ChatOptionsFallbackExtensions"/>), each of which must be a configured one; else <see langword="null"/>.
    /// </summary>
    private FallbackTarget[]? OrderOf(ChatOptions? options)
    {
        if (options.GetFallbackClients() is not { } names)
        {
            return null;
        }

        var order = new FallbackTarget[names.Count + 1];
        order[0] = _targets[0];
        for (var i = 0; i < names.Count; i++)
        {
            var target = _targets.Skip(1).FirstOrDefault(t => string.Equals(t.Name, names[i], StringComparison.OrdinalIgnoreCase));
            if (target is null || Array.IndexOf(order, target) >= 0)
            {
                var known = _targets.Length > 1 ? string.Join(", ", _targets.Skip(1).Select(t => t.Name)) : "none";
                throw new ArgumentException(
                    target is null
                        ? $"ChatOptions.AdditionalProperties['{ChatOptionsFallbackExtensions.ClientsKey}'] names '{names[i]}', which is not a fallback client of '{_targets[0].Name}'. Its fallback clients: {known}."
                        : $"ChatOptions.AdditionalProperties['{ChatOptionsFallbackExtensions.ClientsKey}'] names '{names[i]}' twice.",
                    nameof(options));
            }

            order[i + 1] = target;
        }

        return order;
    }

    private sealed class RequestState(List<FallbackTarget> order, string? affinityKey, bool overridden)
    {
        public List<FallbackTarget> Order { get; set; } = order;

        public int Next { get; set; }

        public List<FallbackTarget> Tried { get; } = [];

        public string? AffinityKey { get; } = affinityKey;

        /// <summary>Gets whether the call named its own fallbacks: then it gets exactly those, typed chains included.</summary>
        public bool Overridden { get; } = overridden;
    }

    private static partial class Log
    {
        [LoggerMessage(2030, LogLevel.Warning, "Client '{Client}' failed ({ErrorType}); falling back to the next client.", EventName = "FallingBack")]
        public static partial void FailingOver(ILogger logger, string client, string errorType);

        [LoggerMessage(2031, LogLevel.Warning, "Client '{Client}' keeps failing: skipped for {BreakMs} ms.", EventName = "CircuitOpened")]
        public static partial void CircuitOpened(ILogger logger, string client, double breakMs);

        [LoggerMessage(2032, LogLevel.Debug, "Client '{Client}' skipped: cooling down for {RemainingMs} ms more.", EventName = "ClientSkipped")]
        public static partial void Skipped(ILogger logger, string client, double remainingMs);
    }
}
