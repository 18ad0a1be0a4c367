// Licensed under the MIT License.

using Microsoft.Extensions.Logging;

namespace LlmAdapters;

/// <summary>
/// A failure a middleware raises on purpose that is not a provider's (a budget refusal): it says the kind under which a
/// configured pipeline counts it (<c>error.type</c>) and the level at which that pipeline logs it, so that the host classifies
/// every package's failures without knowing their types. Logged without a stack trace.
/// </summary>
public interface IClassifiedChatFailure
{
    /// <summary>Gets the kind the call's outcome is counted and logged under, e.g. <c>BudgetExceeded</c>.</summary>
    string FailureKind { get; }

    /// <summary>Gets the level of the configured pipeline's log line (<see cref="LogLevel.Debug"/> when the middleware logs it itself).</summary>
    LogLevel LogLevel { get; }
}
