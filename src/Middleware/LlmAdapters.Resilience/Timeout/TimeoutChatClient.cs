// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Resilience;

/// <summary>
/// Limits how long a call may take, and how long a stream may take to produce its first update. An expired timeout surfaces
/// as a <see cref="ChatProviderException"/> of kind <see cref="ChatProviderErrorKind.Timeout"/> (transient, so an outer retry
/// or fallback may act on it); the caller's own cancellation surfaces unchanged as <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Placed inside the retry middleware it limits each attempt; outside the fallback middleware it limits the whole call.
/// Thread safety: an instance may be shared by concurrent calls.
/// </remarks>
public sealed partial class TimeoutChatClient : DelegatingChatClient
{
    private readonly TimeoutChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly string _providerName;
    private readonly DeadlineQueue? _limitQueue;
    private readonly DeadlineQueue? _firstUpdateQueue;
    private readonly DeadlineSourcePool _sources = new();

    /// <summary>Initializes a new instance of the <see cref="TimeoutChatClient"/> class.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is not positive.</exception>
    public TimeoutChatClient(IChatClient innerClient, TimeoutChatClientOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _providerName = ResilienceErrors.GetProviderName(innerClient);

        // The configured limits share one timer each (a call with its own override gets a timer of its own).
        _limitQueue = _options.Timeout is { } limit ? new DeadlineQueue(limit, DeadlineQueue.TotalScope, _options.TimeProvider) : null;
        _firstUpdateQueue = _options.FirstUpdateTimeout is { } first ? new DeadlineQueue(first, DeadlineQueue.FirstUpdateScope, _options.TimeProvider) : null;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A per-call timeout (<see cref="ChatOptionsTimeoutExtensions"/>) is not valid.</exception>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (timeout, _) = Limits(options);
        if (timeout is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var deadline = new Deadline(this, timeout, firstUpdate: null, cancellationToken);
        try
        {
            return await base.GetResponseAsync(messages, options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.ExpiredScope is not null && !cancellationToken.IsCancellationRequested)
        {
            throw Expired(deadline, ex);
        }
        finally
        {
            deadline.Dispose();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A per-call timeout (<see cref="ChatOptionsTimeoutExtensions"/>) is not valid.</exception>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Read the call's overrides now, so that a bad one fails the call before anything is sent.
        var (timeout, firstUpdate) = Limits(options);
        return timeout is null && firstUpdate is null
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : StreamAsync(messages, options, timeout, firstUpdate, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, TimeSpan? timeout, TimeSpan? firstUpdate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Not a using declaration: that local would be read-only, and FirstUpdateArrived would re-arm a copy.
        var deadline = new Deadline(this, timeout, firstUpdate, cancellationToken);
        try
        {
            var enumerator = base.GetStreamingResponseAsync(messages, options, deadline.Token).GetAsyncEnumerator(deadline.Token);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (Exception ex) when (deadline.ExpiredScope is not null && !cancellationToken.IsCancellationRequested)
                    {
                        throw Expired(deadline, ex);
                    }

                    deadline.FirstUpdateArrived();
                    yield return enumerator.Current;
                }
            }
        }
        finally
        {
            deadline.Dispose();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limitQueue?.Dispose();
            _firstUpdateQueue?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The limits of one call: a per-call override of this client's kind replaces the configured value (infinite removes
    /// it). The total-timeout client reads the total key; the attempt-timeout client the attempt and first-update keys.
    /// </summary>
    private (TimeSpan? Timeout, TimeSpan? FirstUpdate) Limits(ChatOptions? options)
    {
        var total = _options.Scope == TimeoutScope.Total;
        var timeout = (total ? options.GetTotalTimeout() : options.GetAttemptTimeout()) is { } t ? Finite(t) : _options.Timeout;
        var firstUpdate = !total && options.GetFirstUpdateTimeout() is { } f ? Finite(f) : _options.FirstUpdateTimeout;
        return (timeout, firstUpdate);

        static TimeSpan? Finite(TimeSpan value) => value == System.Threading.Timeout.InfiniteTimeSpan ? null : value;
    }

    private ChatProviderException Expired(Deadline deadline, Exception inner)
    {
        var firstUpdate = deadline.ExpiredScope == Deadline.FirstUpdateScope;
        var scopeName = _options.Scope == TimeoutScope.Total ? "total" : "attempt";
        var scope = firstUpdate ? "first_update" : scopeName;
        var limit = (firstUpdate ? deadline.FirstUpdate : deadline.Total)!.Value;
        ResilienceTelemetry.TimeoutsExpired.Add(1, new KeyValuePair<string, object?>(ResilienceTelemetry.TimeoutTag, scope));
        Activity.Current?.SetTag(ResilienceTelemetry.TimeoutTag, scope);
        Log.TimedOut(_logger, scope, limit.TotalMilliseconds);
        var seconds = limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var message = firstUpdate
            ? $"No streamed update arrived within the first-update timeout of {seconds} s."
            : $"The call did not complete within the {scopeName} timeout of {seconds} s.";
        return new ChatProviderException(ChatProviderErrorKind.Timeout, _providerName, message, statusCode: null, inner)
        {
            ErrorCode = "local_" + scope + "_timeout",
        };
    }

    /// <summary>
    /// The deadline of one call. With the configured limits (the common case) it is a pooled <see cref="DeadlineSource"/>
    /// whose deadlines are its entries in the client's <see cref="DeadlineQueue"/>s: no timer and nothing allocated per call;
    /// the entries leave the queues when the call ends, and the source is reset and reused unless it expired. A call that
    /// overrides a limit gets one <see cref="CancellationTokenSource"/> whose timer runs on the <see cref="TimeProvider"/>
    /// (armed for the nearer of the first-update and total limits, re-armed for the rest of the total once the first update
    /// arrives). Either way, when the caller's token can cancel, one registration forwards it. A struct, held in the call's
    /// state machine.
    /// </summary>
    /// <remarks>
    /// A pooled source is reset only when the call has ended, its registration on the caller's token is gone and nothing
    /// cancelled it, so a token handed to the inner client is never cancelled for another call while that call runs; as with
    /// any <see cref="CancellationTokenSource.TryReset"/>, code that keeps the token after the call returned must not rely on it.
    /// </remarks>
#pragma warning disable CA1001 // It is disposable: the rule does not see a struct's Dispose (every call disposes it in a finally).
    private struct Deadline : IDisposable
#pragma warning restore CA1001
    {
        public const int TotalScope = DeadlineQueue.TotalScope;
        public const int FirstUpdateScope = DeadlineQueue.FirstUpdateScope;

        private readonly CancellationTokenSource _cts;
        private readonly DeadlineSource? _pooled;
        private readonly DeadlineSourcePool? _pool;
        private readonly long _ticket;
        private readonly DeadlineQueue? _limitQueue;
        private readonly DeadlineQueue? _firstUpdateQueue;
        private readonly CancellationTokenRegistration _callerRegistration;
        private readonly TimeProvider _timeProvider;
        private readonly TimeSpan? _total;
        private readonly long _started;
        private int _armedScope;
        private bool _firstUpdateArrived;

        public Deadline(TimeoutChatClient client, TimeSpan? total, TimeSpan? firstUpdate, CancellationToken callerToken)
        {
            _timeProvider = client._options.TimeProvider;
            _total = total;
            FirstUpdate = firstUpdate;
            if (Queued(client._limitQueue, total) && Queued(client._firstUpdateQueue, firstUpdate))
            {
                _pool = client._sources;
                _pooled = _pool.Rent();
                _cts = _pooled;
                _ticket = _pooled.Start(firstUpdatePending: firstUpdate is not null);
                _started = _timeProvider.GetTimestamp();
                if (total is not null)
                {
                    _limitQueue = client._limitQueue;
                    _limitQueue!.Add(_pooled.LimitEntry, _ticket, _started);
                }

                if (firstUpdate is not null)
                {
                    _firstUpdateQueue = client._firstUpdateQueue;
                    _firstUpdateQueue!.Add(_pooled.FirstUpdateEntry, _ticket, _started);
                }
            }
            else
            {
                TimeSpan delay;
                if (firstUpdate is { } f && (total is not { } t0 || f < t0))
                {
                    _armedScope = FirstUpdateScope;
                    _started = _timeProvider.GetTimestamp();
                    delay = f;
                }
                else
                {
                    _armedScope = TotalScope;
                    delay = total!.Value;
                }

                _cts = new CancellationTokenSource(delay, _timeProvider);
            }

            if (callerToken.CanBeCanceled)
            {
                _callerRegistration = callerToken.UnsafeRegister(static s => CancelQuietly((CancellationTokenSource)s!), _cts);
            }

            // No limit, or the configured one: the queue (if any) holds exactly this limit.
            static bool Queued(DeadlineQueue? queue, TimeSpan? limit) => limit is not { } l || (queue is not null && queue.Limit == l);
        }

        public readonly CancellationToken Token => _cts.Token;

        public readonly TimeSpan? Total => _total;

        public readonly TimeSpan? FirstUpdate { get; }

        /// <summary>Gets which limit cancelled the token, if the token is cancelled; read only once the caller's token is known not to be.</summary>
        public int? ExpiredScope => _pooled is not null
            ? _pooled.ExpiredScope is var expired and not 0 && _pooled.IsCancellationRequested ? expired : null
            : _cts.IsCancellationRequested && Volatile.Read(ref _armedScope) is var scope and not 0 ? scope : null;

        public void FirstUpdateArrived()
        {
            if (_pooled is not null)
            {
                if (_firstUpdateQueue is not null && !_firstUpdateArrived)
                {
                    // Once per stream (this runs for every update): the first-update limit no longer applies.
                    _firstUpdateArrived = true;
                    _pooled.FirstUpdateArrived(_ticket);
                    _firstUpdateQueue.Remove(_pooled.FirstUpdateEntry);
                }

                return;
            }

            if (_armedScope != FirstUpdateScope || _cts.IsCancellationRequested)
            {
                // Nothing to re-arm, or the first-update limit already expired: that stays the reason.
                return;
            }

            if (_total is not { } total)
            {
                Volatile.Write(ref _armedScope, 0);
                _cts.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
                return;
            }

            var remaining = total - _timeProvider.GetElapsedTime(_started);
            Volatile.Write(ref _armedScope, TotalScope);
            _cts.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        public readonly void Dispose()
        {
            // The caller's registration first: once it is gone, nothing of this call can cancel the source any more.
            _callerRegistration.Dispose();
            if (_pooled is null)
            {
                _cts.Dispose();
            }
            else
            {
                _limitQueue?.Remove(_pooled.LimitEntry);
                _firstUpdateQueue?.Remove(_pooled.FirstUpdateEntry);
                if (_pooled.TryEnd(_ticket) && !_pooled.IsCancellationRequested && _pooled.TryReset())
                {
                    _pool!.Return(_pooled);
                }
            }

            // A pooled source that expired or was cancelled is dropped: it has no timer to dispose.
        }

        private static void CancelQuietly(CancellationTokenSource cts)
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call ended as the caller cancelled.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2010, LogLevel.Warning, "The {Scope} timeout of {TimeoutMs} ms expired.", EventName = "TimedOut")]
        public static partial void TimedOut(ILogger logger, string scope, double timeoutMs);
    }
}
