// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// Tells an application whether a configured pipeline has already logged a failure, so that it logs each failure once:
/// the outcome client of the <c>Logging</c> stage logs every failed call (with the stack trace, redacted, when the
/// failure is not one of the taxonomy's) and marks the exception.
/// </summary>
public static class ChatFailureLogging
{
    /// <summary>The key of <see cref="Exception.Data"/> under which a configured pipeline marks a failure it logged.</summary>
    internal const string LoggedKey = "LlmAdapters.Logged";

    /// <summary>Gets whether a configured pipeline logged <paramref name="exception"/> (or an exception it wraps).</summary>
    /// <param name="exception">The failure a call threw.</param>
    /// <returns><see langword="true"/> when it was logged; the application need not log it again.</returns>
    public static bool WasLogged(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current.Data.Contains(LoggedKey))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gets what to pass to a logger for an unexpected failure: an exception with the original's type, message and stack
    /// trace, in which every key-shaped string and each of <paramref name="apiKeys"/> is masked (in its inner exceptions
    /// too). A log provider prints the exception's text, which would otherwise carry a key that a message echoes.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="apiKeys">The configured keys to mask wherever they appear, whatever their shape.</param>
    /// <returns>The exception to log.</returns>
    public static Exception Redacted(Exception exception, IEnumerable<string?> apiKeys)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(apiKeys);
        return RedactedException.From(exception, apiKeys as IReadOnlyCollection<string?> ?? [.. apiKeys]);
    }

    internal static void MarkLogged(Exception exception)
    {
        try
        {
            exception.Data[LoggedKey] = true;
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
        {
            // A custom exception whose Data is read-only: the application logs it again, which loses nothing.
        }
    }
}
