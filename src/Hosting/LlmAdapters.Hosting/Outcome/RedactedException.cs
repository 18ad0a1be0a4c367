// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// What a log line carries for an unexpected failure: the original's type, message and stack trace, with every key-shaped
/// string and configured key masked in the messages (its own and its inner exceptions'). A log provider prints an
/// exception's <see cref="Exception.ToString"/>, which would otherwise put a key that a message echoes into the log.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;

    private RedactedException(string message, string? stackTrace, Exception? inner)
        : base(message, inner)
    {
        _stackTrace = stackTrace;
    }

    public override string? StackTrace => _stackTrace;

    public static RedactedException From(Exception exception, IReadOnlyCollection<string?> keys)
    {
        var message = $"{exception.GetType().FullName}: {exception.Message}";
        foreach (var key in keys)
        {
            message = SecretRedactor.Redact(message, key) ?? string.Empty;
        }

        message = SecretRedactor.Redact(message) ?? string.Empty;
        var inner = exception.InnerException is { } i ? From(i, keys) : null;
        return new RedactedException(message, exception.StackTrace, inner);
    }
}
