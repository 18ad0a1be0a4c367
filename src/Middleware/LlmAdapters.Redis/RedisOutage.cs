// Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// Tracks whether Redis works for one concern: the first failure of an outage is logged (once), every failure is counted
/// on <see cref="RedisTelemetryNames.FallbackInstrument"/>, and the first success after it logs the recovery.
/// </summary>
internal sealed partial class RedisOutage(string concern, RedisFailurePolicy policy, ILogger logger)
{
    private int _down;

    public string Concern => concern;

    public RedisFailurePolicy Policy => policy;

    /// <summary>Gets whether an exception means Redis could not be used (rather than a bug or a cancellation).</summary>
    public static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException;

    public void Failed(Exception exception)
    {
        RedisTelemetry.Fallbacks.Add(
            1,
            new KeyValuePair<string, object?>(RedisTelemetryNames.ConcernTag, concern),
            new KeyValuePair<string, object?>(RedisTelemetryNames.PolicyTag, policy.ToString()));
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Log.Down(logger, concern, policy.ToString(), exception.GetType().Name, LlmAdapters.SecretRedactor.Redact(exception.Message) ?? "");
        }
    }

    public void Succeeded()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            Log.Restored(logger, concern);
        }
    }

    /// <summary>The error of a concern that fails closed.</summary>
    public ChatProviderException Unavailable(string what, Exception cause) =>
        new(ChatProviderErrorKind.Unavailable, "redis", $"Redis is unreachable, so {what} (AI:Redis:Failure:{ConfigurationName} is FailClosed). Cause: {cause.GetType().Name}.")
        {
            ErrorCode = "redis_unavailable",
            IsTransient = true,
        };

    private string ConfigurationName => concern switch
    {
        "budget" => "Budget",
        "ratelimit" => "RateLimit",
        _ => "Cache",
    };

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Warning, "Redis failed for the {Concern} ({ErrorType}: {ErrorMessage}); until it is back, it follows its failure policy {Policy}.", EventName = "RedisFallback")]
        public static partial void Down(ILogger logger, string concern, string policy, string errorType, string errorMessage);

        [LoggerMessage(3002, LogLevel.Information, "Redis works again for the {Concern}.", EventName = "RedisRestored")]
        public static partial void Restored(ILogger logger, string concern);
    }
}
