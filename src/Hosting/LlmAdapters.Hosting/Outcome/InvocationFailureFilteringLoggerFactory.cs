// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting;

/// <summary>
/// The logger factory Microsoft.Extensions.AI's <c>LoggingChatClient</c> gets in a configured pipeline: everything it logs
/// (invocations at Debug, content at Trace) passes, except its own failure and cancellation events, which always carry
/// the stack trace at Error: <see cref="CallOutcomeChatClient"/> logs each failure once, at the level its kind deserves.
/// </summary>
internal sealed class InvocationFailureFilteringLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly HashSet<string> s_dropped = new(StringComparer.Ordinal) { "LogInvocationFailed", "LogInvocationCanceled" };

    public ILogger CreateLogger(string categoryName) => new FilteringLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The inner factory belongs to the container.
    }

    private sealed class FilteringLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name && s_dropped.Contains(name))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
