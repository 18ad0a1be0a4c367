// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace LlmAdapters.Resilience;

/// <summary>
/// Retries a failed call with exponential backoff and jitter, built on Polly.Core: transient failures only, honouring the
/// server's Retry-After up to <see cref="RetryChatClientOptions.MaxDelay"/>, and a stream only until its first update has
/// reached the caller.
/// </summary>
/// <remarks>
/// <para>Never retried: <see cref="ChatProviderErrorKind.Authentication"/>, <see cref="ChatProviderErrorKind.PermissionDenied"/>,
/// <see cref="ChatProviderErrorKind.InvalidRequest"/>, <see cref="ChatProviderErrorKind.ContentFiltered"/>,
/// <see cref="ChatProviderErrorKind.ContextLengthExceeded"/>, an exhausted quota, the caller's cancellation, and any failure of a
/// stream after its first update (the caller has text that a second attempt would duplicate).</para>
/// <para>Thread safety: an instance may be shared by concurrent calls.</para>
/// </remarks>
public sealed partial class RetryChatClient : DelegatingChatClient
{
    private readonly RetryChatClientOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly ConcurrentDictionary<int, ResiliencePipeline> _overridden = new();
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="RetryChatClient"/> class.</summary>
    /// <param name="innerClient">The client to call.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public RetryChatClient(IChatClient innerClient, RetryChatClientOptions? options = null, ILogger? logger = null)
        : base(innerClient)
    {
        _options = options ?? new RetryChatClientOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _pipeline = BuildPipeline(_options.MaxAttempts);
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var state = new CallState(this, ResilienceErrors.Materialize(messages), options);
        try
        {
            // A static callback with the call's state: no closure and no delegate allocated per call.
            return await PipelineFor(options).ExecuteAsync(
                static async (state, token) =>
                {
                    state.Attempts++;
                    return await state.Client.InnerGetResponseAsync(state.Messages, state.Options, token).ConfigureAwait(false);
                },
                state,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (state.Attempts > 0 && ResilienceErrors.IsTransient(ex))
        {
            GiveUp(ex, state.Attempts);
            throw;
        }
        finally
        {
            Activity.Current?.SetTag(ResilienceTelemetry.RetryAttemptsTag, state.Attempts);
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var state = new CallState(this, ResilienceErrors.Materialize(messages), options);
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        bool hasFirst;
        try
        {
            // Each attempt runs until the first update (or the end of an empty stream): past that point the caller holds
            // text, and another attempt would send it twice.
            (enumerator, hasFirst) = await PipelineFor(options).ExecuteAsync(
                static async (state, token) =>
                {
                    state.Attempts++;
                    var attempt = state.Client.InnerGetStreamingResponseAsync(state.Messages, state.Options, token).GetAsyncEnumerator(token);
                    try
                    {
                        return (attempt, await attempt.MoveNextAsync().ConfigureAwait(false));
                    }
                    catch
                    {
                        await attempt.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                state,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (state.Attempts > 0 && ResilienceErrors.IsTransient(ex))
        {
            GiveUp(ex, state.Attempts);
            throw;
        }
        finally
        {
            Activity.Current?.SetTag(ResilienceTelemetry.RetryAttemptsTag, state.Attempts);
        }

        await using (enumerator.ConfigureAwait(false))
        {
            if (!hasFirst)
            {
                yield break;
            }

            yield return enumerator.Current;
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield return enumerator.Current;
            }
        }
    }

    private TimeSpan RetryAfterFloor => _options.BaseDelay < RetryConstants.RetryAfterFloor ? _options.BaseDelay : RetryConstants.RetryAfterFloor;

    /// <summary>The pipeline of one call: the configured one, or one with the call's own attempts (<see cref="ChatOptionsRetryExtensions"/>), built once per count.</summary>
    private ResiliencePipeline PipelineFor(ChatOptions? options) =>
        options.GetMaxAttempts() is { } attempts && attempts != _options.MaxAttempts
            ? _overridden.GetOrAdd(attempts, BuildPipeline)
            : _pipeline;

    private ResiliencePipeline BuildPipeline(int maxAttempts) => maxAttempts == 1 ? ResiliencePipeline.Empty :
        new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = _options.UseJitter,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } ex && ShouldRetry(ex)),
                // A Retry-After of 0 (or a date in the past) keeps a small floor: no retry storm against a server that asks for none.
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is { } ex && ResilienceErrors.GetRetryAfter(ex) is { } retryAfter
                        ? (retryAfter < RetryAfterFloor ? RetryAfterFloor : retryAfter)
                        : null),
                OnRetry = args =>
                {
                    var errorType = args.Outcome.Exception is { } ex ? ResilienceErrors.GetErrorType(ex) : "unknown";
                    ResilienceTelemetry.RetryAttempts.Add(1, new KeyValuePair<string, object?>(ResilienceTelemetry.ErrorTypeTag, errorType));
                    Log.Retrying(_logger, args.AttemptNumber + 2, maxAttempts, args.RetryDelay.TotalMilliseconds, errorType);
                    return default;
                },
            })
            .Build();

    private bool ShouldRetry(Exception exception)
    {
        if (exception is OperationCanceledException)
        {
            return false;
        }

        if (ResilienceErrors.GetRetryAfter(exception) is { } retryAfter && retryAfter > _options.MaxDelay)
        {
            Log.RetryAfterTooLong(_logger, retryAfter.TotalMilliseconds, _options.MaxDelay.TotalMilliseconds);
            return false;
        }

        return _options.ShouldRetry?.Invoke(exception) ?? IsRetriable(exception);
    }

    private static bool IsRetriable(Exception exception) =>
        ResilienceErrors.IsTransient(exception) && ResilienceErrors.GetKind(exception) is
            ChatProviderErrorKind.RateLimited or ChatProviderErrorKind.Overloaded or ChatProviderErrorKind.Timeout or ChatProviderErrorKind.Unavailable;

    /// <summary>Records a transient failure that is not retried further: attempts spent, or a Retry-After too long.</summary>
    private void GiveUp(Exception exception, int attempts)
    {
        var errorType = ResilienceErrors.GetErrorType(exception);
        ResilienceTelemetry.RetryGiveUps.Add(1, new KeyValuePair<string, object?>(ResilienceTelemetry.ErrorTypeTag, errorType));
        Log.GaveUp(_logger, attempts, errorType);
    }

    private Task<ChatResponse> InnerGetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetResponseAsync(messages, options, cancellationToken);

    private IAsyncEnumerable<ChatResponseUpdate> InnerGetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken) =>
        base.GetStreamingResponseAsync(messages, options, cancellationToken);

    /// <summary>One call: what each attempt sends, and how many attempts ran.</summary>
    private sealed class CallState(RetryChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        public RetryChatClient Client { get; } = client;

        public IEnumerable<ChatMessage> Messages { get; } = messages;

        public ChatOptions? Options { get; } = options;

        public int Attempts { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Warning, "Chat call failed ({ErrorType}); attempt {Attempt} of {MaxAttempts} in {DelayMs} ms.", EventName = "Retrying")]
        public static partial void Retrying(ILogger logger, int attempt, int maxAttempts, double delayMs, string errorType);

        [LoggerMessage(2002, LogLevel.Warning, "The server asked to wait {RetryAfterMs} ms, longer than the longest wait allowed ({MaxDelayMs} ms): not retrying.", EventName = "RetryAfterTooLong")]
        public static partial void RetryAfterTooLong(ILogger logger, double retryAfterMs, double maxDelayMs);

        [LoggerMessage(2003, LogLevel.Information, "Chat call failed ({ErrorType}) after {Attempts} attempt(s); not retrying further.", EventName = "GaveUp")]
        public static partial void GaveUp(ILogger logger, int attempts, string errorType);
    }
}
