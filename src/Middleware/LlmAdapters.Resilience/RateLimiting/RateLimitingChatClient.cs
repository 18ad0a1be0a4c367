// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Resilience;

/// <summary>
/// Makes each call wait its turn under a <see cref="ChatRateLimiter"/>: requests per minute, tokens per minute (the estimated
/// input reserved before the call, replaced by the real usage after it) and concurrent calls, each with a bounded queue.
/// A call that finds a queue full fails at once with <see cref="ChatProviderErrorKind.RateLimited"/> and the limiter's Retry-After.
/// </summary>
/// <remarks>Thread safety: an instance may be shared by concurrent calls.</remarks>
public sealed partial class RateLimitingChatClient : DelegatingChatClient
{
    private readonly ChatRateLimiter _limiter;
    private readonly bool _ownsLimiter;
    private readonly ITokenEstimator _estimator;
    private readonly ILogger _logger;
    private readonly string _providerName;

    /// <summary>Initializes a new instance of the <see cref="RateLimitingChatClient"/> class.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="options">The limits, or a shared limiter in <see cref="RateLimitingChatClientOptions.SharedLimiter"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public RateLimitingChatClient(IChatClient innerClient, RateLimitingChatClientOptions options, ILogger? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ownsLimiter = options.SharedLimiter is null;
        _limiter = options.SharedLimiter ?? new ChatRateLimiter(options);
        _estimator = options.TokenEstimator ?? ApproximateTokenEstimator.Instance;
        _logger = logger ?? NullLogger.Instance;
        _providerName = ResilienceErrors.GetProviderName(innerClient);
    }

    /// <summary>Gets the limiter the calls wait on.</summary>
    public ChatRateLimiter Limiter => _limiter;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var estimate = Estimate(ref messages, options);
        using var lease = await AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        lease.Reconcile(TotalTokens(response.Usage) ?? estimate);
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var estimate = Estimate(ref messages, options);
        using var lease = await AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            // By index: a foreach over the IList would box its enumerator on every update.
            var contents = update.Contents;
            for (var i = 0; i < contents.Count; i++)
            {
                if (contents[i] is UsageContent { Details: { } details })
                {
                    (usage ??= new UsageDetails()).Add(details);
                }
            }

            yield return update;
        }

        lease.Reconcile(TotalTokens(usage) ?? estimate);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsLimiter)
        {
            _limiter.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Estimate(ref IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (!_limiter.LimitsTokens)
        {
            return 0;
        }

        messages = ResilienceErrors.Materialize(messages);
        return _estimator.EstimateInputTokens(messages, options);
    }

    private async ValueTask<ChatRateLimiter.Lease> AcquireAsync(int estimate, CancellationToken cancellationToken)
    {
        ChatRateLimiter.Lease lease;
        try
        {
            lease = await _limiter.AcquireAsync(estimate, _providerName, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatProviderException ex)
        {
            Log.Rejected(_logger, ex.RetryAfter?.TotalMilliseconds ?? 0);
            throw;
        }

        ResilienceTelemetry.RateLimitWait.Record(lease.Waited.TotalSeconds);
        if (lease.Waited > TimeSpan.Zero)
        {
            Activity.Current?.SetTag(ResilienceTelemetry.RateLimitWaitTag, lease.Waited.TotalSeconds);
            Log.Waited(_logger, lease.Waited.TotalSeconds);
        }

        return lease;
    }

    private static int? TotalTokens(UsageDetails? usage) => usage switch
    {
        { TotalTokenCount: { } total } => (int)Math.Min(total, int.MaxValue),
        { InputTokenCount: { } input } => (int)Math.Min(input + (usage.OutputTokenCount ?? 0), int.MaxValue),
        _ => null,
    };

    private static partial class Log
    {
        [LoggerMessage(2020, LogLevel.Debug, "The call waited {WaitMs} ms for the rate limiter.", EventName = "RateLimitWaited")]
        public static partial void Waited(ILogger logger, double waitMs);

        [LoggerMessage(2021, LogLevel.Warning, "The call was rejected by the local rate limiter; retry after {RetryAfterMs} ms.", EventName = "RateLimitRejected")]
        public static partial void Rejected(ILogger logger, double retryAfterMs);
    }
}
