// Licensed under the MIT License.

using System.Globalization;
using System.Threading.RateLimiting;

namespace LlmAdapters.Resilience;

/// <summary>
/// The limiters of one client, or of several clients that share them (for example every client on one API key): concurrent
/// requests on System.Threading.RateLimiting's <see cref="ConcurrencyLimiter"/>; requests and tokens per minute on sliding
/// one-minute windows that run on the <see cref="TimeProvider"/> and whose token reservations are corrected after each call.
/// </summary>
/// <remarks>
/// Every wait runs on the configured <see cref="TimeProvider"/>, so that tests can drive the limiter with a fake clock. Thread safety: an instance may be shared by concurrent calls and clients.
/// </remarks>
public sealed partial class ChatRateLimiter : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly SlidingMinuteWindow? _requests;
    private readonly SlidingMinuteWindow? _tokens;
    private readonly ConcurrencyLimiter? _concurrency;

    /// <summary>Initializes a new instance of the <see cref="ChatRateLimiter"/> class.</summary>
    /// <param name="options">The limits; <see cref="RateLimitingChatClientOptions.SharedLimiter"/> and the estimator are not used.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public ChatRateLimiter(RateLimitingChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = options.TimeProvider;
        RequestsPerMinute = options.RequestsPerMinute;
        TokensPerMinute = options.TokensPerMinute;
        MaxConcurrency = options.MaxConcurrency;
        QueueLimit = options.QueueLimit;
        InitializeShared(options);

        if (options.RequestsPerMinute is { } rpm)
        {
            _requests = new SlidingMinuteWindow(rpm, options.QueueLimit, _timeProvider);
        }

        if (options.TokensPerMinute is { } tpm)
        {
            _tokens = new SlidingMinuteWindow(tpm, options.QueueLimit, _timeProvider);
        }

        if (options.MaxConcurrency is { } concurrency)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = concurrency,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }
    }

    /// <summary>Gets the most requests started in any minute, or <see langword="null"/>.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>Gets the most tokens used in any minute, or <see langword="null"/>.</summary>
    public int? TokensPerMinute { get; }

    /// <summary>Gets the most calls in progress at once, or <see langword="null"/>.</summary>
    public int? MaxConcurrency { get; }

    /// <summary>Gets how many calls may wait for each limiter.</summary>
    public int QueueLimit { get; }

    /// <summary>Gets whether the limiter tracks tokens (so that callers need to estimate them).</summary>
    internal bool LimitsTokens => _tokens is not null;

    /// <summary>Gets the tokens counted in the current minute (0 when tokens are not limited).</summary>
    internal int TokensUsed => _tokens?.Used ?? 0;

    /// <summary>Gets the calls in progress (0 when concurrency is not limited).</summary>
    internal long InFlight => MaxConcurrency is { } max && _concurrency?.GetStatistics() is { } stats ? max - stats.CurrentAvailablePermits : 0;

    /// <inheritdoc/>
    public void Dispose()
    {
        _concurrency?.Dispose();
    }

    /// <summary>Waits for every limiter in turn: requests, then tokens, then a concurrency slot.</summary>
    /// <param name="estimatedTokens">The estimated input tokens of the call.</param>
    /// <param name="providerName">The provider name for a rejection.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The lease, to dispose when the call ends.</returns>
    /// <exception cref="ChatProviderException">A queue is full: <see cref="ChatProviderErrorKind.RateLimited"/> with the limiter's Retry-After.</exception>
    internal async ValueTask<Lease> AcquireAsync(int estimatedTokens, string providerName, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        if (_store is not null && await TryAcquireSharedAsync(estimatedTokens, providerName, started, cancellationToken).ConfigureAwait(false) is { } shared)
        {
            return shared;
        }

        if (_requests is not null)
        {
            var request = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (request.IsRejected)
            {
                throw Rejected(providerName, "requests", "requests per minute", request.RetryAfter);
            }
        }

        SlidingMinuteWindow.Reservation? reservation = null;
        if (_tokens is not null)
        {
            var tokens = await _tokens.AcquireAsync(estimatedTokens, cancellationToken).ConfigureAwait(false);
            if (tokens.IsRejected)
            {
                throw Rejected(providerName, "tokens", "tokens per minute", tokens.RetryAfter);
            }

            reservation = tokens;
        }

        RateLimitLease? slot = null;
        if (_concurrency is not null)
        {
            try
            {
                slot = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ReleaseReservation(reservation);
                throw;
            }

            if (!slot.IsAcquired)
            {
                slot.Dispose();
                ReleaseReservation(reservation);
                throw Rejected(providerName, "concurrency", "concurrent requests", RetryAfterOf(slot));
            }
        }

        return new Lease(_tokens, reservation, slot, _timeProvider.GetElapsedTime(started));
    }

    private void ReleaseReservation(SlidingMinuteWindow.Reservation? reservation)
    {
        if (reservation is { } held)
        {
            _tokens!.Reconcile(held, 0);
        }
    }

    private static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null;

    private ChatProviderException Rejected(string providerName, string limiter, string what, TimeSpan? retryAfter)
    {
        ResilienceTelemetry.RateLimitRejections.Add(1, new KeyValuePair<string, object?>(ResilienceTelemetryNames.RateLimitLimiterTag, limiter));
        return new ChatProviderException(
            ChatProviderErrorKind.RateLimited,
            providerName,
            $"The local limit of {what} is reached and its queue of {QueueLimit.ToString(CultureInfo.InvariantCulture)} is full.")
        {
            ErrorCode = "local_rate_limit",
            RetryAfter = retryAfter,
            IsTransient = true,
        };
    }

    /// <summary>What a call holds while it runs: a concurrency slot and a token reservation.</summary>
    internal sealed partial class Lease : IDisposable
    {
        private readonly SlidingMinuteWindow? _tokens;
        private SlidingMinuteWindow.Reservation? _reservation;
        private readonly RateLimitLease? _slot;

        public Lease(SlidingMinuteWindow? tokens, SlidingMinuteWindow.Reservation? reservation, RateLimitLease? slot, TimeSpan waited)
        {
            _tokens = tokens;
            _reservation = reservation;
            _slot = slot;
            Waited = waited;
        }

        public TimeSpan Waited { get; }

        public void Reconcile(int tokens)
        {
            _shared?.Reconcile(tokens);
            if (_reservation is { } held)
            {
                _reservation = _tokens!.Reconcile(held, tokens);
            }
        }

        public void Dispose()
        {
            _shared?.Release();
            _slot?.Dispose();
        }
    }
}
