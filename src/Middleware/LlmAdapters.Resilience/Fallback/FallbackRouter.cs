// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Resilience;

/// <summary>
/// The routing core of <see cref="FallbackChatClient"/>, on M.E.AI's <see cref="FailoverChatClient"/>: the base owns the
/// invocation and the rule that a stream never fails over once an update has reached the caller; this class chooses the
/// next client (skipping open circuits), stops on error kinds that must not fail over, and feeds the circuit breakers.
/// </summary>
internal sealed partial class FallbackRouter : FailoverChatClient
{
    private readonly FallbackTarget[] _targets;
    private readonly FallbackChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<RoutingContext, RequestState> _requests = [];

    public FallbackRouter(FallbackTarget[] targets, FallbackChatClientOptions options, ILogger logger)
    {
        _targets = targets;
        _options = options;
        _logger = logger;
    }

    public IReadOnlyList<FallbackTarget> Targets => _targets;

    public bool IsOpen(FallbackTarget target) => target.Circuit.IsOpen(_options.TimeProvider.GetUtcNow(), out _);

    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        if (!_requests.TryGetValue(context, out var state))
        {
            // The call's own order is read once, before its first client is called: a bad one fails before anything is sent.
            state = new RequestState(OrderOf(context.ChatOptions));
            _requests.AddOrUpdate(context, state);
        }

        var order = state.Order;
        var now = _options.TimeProvider.GetUtcNow();
        var soonest = TimeSpan.MaxValue;
        for (; state.Next < order.Length; state.Next++)
        {
            var target = order[state.Next];
            if (!target.Circuit.IsOpen(now, out var remaining))
            {
                state.Next++;
                return new ValueTask<IChatClient>(target);
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
        if (isTerminal)
        {
            _requests.Remove(context);
        }

        if (attempt.Exception is not { } exception)
        {
            if (attempt.ResponseCompleted)
            {
                target.Circuit.RecordSuccess();
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
        }

        if (isTerminal)
        {
            return default;
        }

        var errorType = ResilienceErrors.GetErrorType(exception);
        if (!failOver || !HasAvailable(context))
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

    private bool HasAvailable(RoutingContext context)
    {
        if (!_requests.TryGetValue(context, out var state))
        {
            return false;
        }

        var now = _options.TimeProvider.GetUtcNow();
        for (var i = state.Next; i < state.Order.Length; i++)
        {
            if (!state.Order[i].Circuit.IsOpen(now, out _))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The clients of one call: the configured order, or the primary followed by the call's own fallback clients
    /// (<see cref="ChatOptionsFallbackExtensions"/>), each of which must be a configured one.
    /// </summary>
    private FallbackTarget[] OrderOf(ChatOptions? options)
    {
        if (options.GetFallbackClients() is not { } names)
        {
            return _targets;
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

    private sealed class RequestState(FallbackTarget[] order)
    {
        public FallbackTarget[] Order { get; } = order;

        public int Next { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "Client '{Client}' failed ({ErrorType}); falling back to the next client.", EventName = "FallingBack")]
        public static partial void FailingOver(ILogger logger, string client, string errorType);

        [LoggerMessage(31, LogLevel.Warning, "Client '{Client}' keeps failing: skipped for {BreakMs} ms.", EventName = "CircuitOpened")]
        public static partial void CircuitOpened(ILogger logger, string client, double breakMs);

        [LoggerMessage(32, LogLevel.Debug, "Client '{Client}' skipped: cooling down for {RemainingMs} ms more.", EventName = "ClientSkipped")]
        public static partial void Skipped(ILogger logger, string client, double remainingMs);
    }
}
