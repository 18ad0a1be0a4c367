// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// Loggers enabled from <see cref="LogLevel.Information"/> up, as a production console logger is, that write nothing: the
/// logging middleware is on and pays for its checks, but no sink's cost is measured. Both chains compared get the same.
/// </summary>
internal sealed class SilentLoggerFactory : ILoggerFactory
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
