// Licensed under the MIT License.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// The one place a configured pipeline logs a failed call, and counts every call by outcome: placed with the Logging
/// stage, outside everything that can fail. A failure is logged once, at the level its kind deserves and without a
/// stack trace when it is a known kind (<see cref="ChatProviderException"/>: its message has kind, status and request id);
/// the caller's own cancellation is Debug; a middleware's own refusal (<see cref="IClassifiedChatFailure"/>, e.g. a budget's)
/// is counted under the kind it names and logged at the level it names, without a stack trace.
/// </summary>
/// <remarks>
/// A failure it logged is marked (<see cref="ChatFailureLogging.WasLogged"/>) so that the application does not log it again.
/// An unexpected exception's log line carries it redacted (<see cref="RedactedException"/>): the configured
/// <paramref name="apiKeys"/> and every key-shaped string are masked in its message, its inner exceptions' and its text.
/// </remarks>
internal sealed partial class CallOutcomeChatClient(IChatClient innerClient, string clientName, ILogger logger, TimeProvider timeProvider, IReadOnlyList<string?> apiKeys)
    : DelegatingChatClient(innerClient)
{
    private readonly ChatClientMetadata? _metadata = innerClient.GetService<ChatClientMetadata>();

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Record(started, null, cancellationToken);
            return response;
        }
        catch (Exception ex)
        {
            Record(started, ex, cancellationToken);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var completed = false;
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    Record(started, ex, cancellationToken);
                    completed = true;
                    throw;
                }

                yield return enumerator.Current;
            }

            Record(started, null, cancellationToken);
            completed = true;
        }
        finally
        {
            if (!completed)
            {
                // The caller stopped enumerating before the end: its choice, like a cancellation.
                Record(started, new OperationCanceledException(), new CancellationToken(canceled: true));
            }

            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Record(long started, Exception? failure, CancellationToken cancellationToken)
    {
        var (outcome, kind, level, withException) = Classify(failure, cancellationToken);
        var tags = new TagList
        {
            { HostingTelemetryNames.ClientTag, clientName },
            { HostingTelemetryNames.ProviderTag, _metadata?.ProviderName },
            { HostingTelemetryNames.OutcomeTag, outcome },
        };
        if (kind is not null)
        {
            tags.Add(HostingTelemetryNames.ErrorTypeTag, kind);
        }

        CallOutcomeTelemetry.Requests.Add(1, tags);
        CallOutcomeTelemetry.Duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        if (failure is null || !logger.IsEnabled(level))
        {
            return;
        }

        if (outcome == CallOutcomeTelemetry.Cancelled)
        {
            Log.CallCancelled(logger, clientName);
        }
        else
        {
            var message = failure.Message;
            foreach (var key in apiKeys)
            {
                message = SecretRedactor.Redact(message, key) ?? string.Empty;
            }

            message = SecretRedactor.Redact(message) ?? string.Empty;
            Log.CallFailed(logger, level, clientName, kind!, message, withException ? RedactedException.From(failure, apiKeys) : null);
            ChatFailureLogging.MarkLogged(failure);
        }
    }

    /// <summary>The outcome, error kind, log level and whether the stack trace helps, of a call's end.</summary>
    internal static (string Outcome, string? Kind, LogLevel Level, bool WithException) Classify(Exception? failure, CancellationToken cancellationToken) => failure switch
    {
        null => (CallOutcomeTelemetry.Success, null, LogLevel.None, false),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (CallOutcomeTelemetry.Cancelled, "Cancelled", LogLevel.Debug, false),
        IClassifiedChatFailure classified => (CallOutcomeTelemetry.Failure, classified.FailureKind, classified.LogLevel, false),
        ChatProviderException provider => (CallOutcomeTelemetry.Failure, provider.Kind.ToString(), provider.Kind switch
        {
            ChatProviderErrorKind.RateLimited or ChatProviderErrorKind.Overloaded or ChatProviderErrorKind.Unavailable or ChatProviderErrorKind.Timeout
                or ChatProviderErrorKind.ContentFiltered or ChatProviderErrorKind.ContextLengthExceeded => LogLevel.Warning,
            _ => LogLevel.Error,
        }, false),
        OperationCanceledException or TimeoutException => (CallOutcomeTelemetry.Failure, nameof(ChatProviderErrorKind.Timeout), LogLevel.Warning, false),
        _ => (CallOutcomeTelemetry.Failure, failure.GetType().Name, LogLevel.Error, true),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 9001, EventName = "ChatCallFailed", Message = "The chat call of client '{Client}' failed: {Kind}: {Message}")]
        public static partial void CallFailed(ILogger logger, LogLevel level, string client, string kind, string message, Exception? exception);

        [LoggerMessage(EventId = 9002, EventName = "ChatCallCancelled", Level = LogLevel.Debug, Message = "The chat call of client '{Client}' was cancelled by its caller.")]
        public static partial void CallCancelled(ILogger logger, string client);
    }
}
