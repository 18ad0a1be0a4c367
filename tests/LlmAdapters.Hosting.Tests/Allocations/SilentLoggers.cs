// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Hosting.Tests.Allocations;

/// <summary>Loggers enabled from <see cref="LogLevel.Information"/> up that write nothing: the logging middleware is on and pays for its checks, no sink is measured.</summary>
internal sealed class SilentLoggers : ILoggerFactory
{
    private static readonly SilentLogger s_logger = new();

    public ILogger CreateLogger(string categoryName) => s_logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class SilentLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
