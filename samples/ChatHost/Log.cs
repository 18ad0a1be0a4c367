// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The host's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(2, LogLevel.Information, "The client disconnected: the reply of '{Client}' was cancelled after {Updates} updates.", EventName = "StreamCancelled")]
    public static partial void StreamCancelled(ILogger logger, string client, int updates);

    // Debug: the configured pipeline has logged the failure once already, at the level its kind deserves.
    [LoggerMessage(3, LogLevel.Debug, "The reply of '{Client}' failed: {Kind}: {Message}", EventName = "ReplyFailed")]
    public static partial void ReplyFailed(ILogger logger, string client, string kind, string message);

    // The exception is logged redacted (ChatFailureLogging.Redacted): its message may echo a key.
    [LoggerMessage(4, LogLevel.Error, "The reply of '{Client}' failed unexpectedly.", EventName = "ReplyFailedUnexpectedly")]
    public static partial void ReplyFailedUnexpectedly(ILogger logger, string client, Exception exception);

    // Debug: the configured pipeline has logged this unexpected failure with its details already.
    [LoggerMessage(5, LogLevel.Debug, "The reply of '{Client}' failed unexpectedly; the chat call's log line has the details.", EventName = "ReplyFailedUnexpectedlyLogged")]
    public static partial void ReplyFailedUnexpectedlyLogged(ILogger logger, string client);
}
