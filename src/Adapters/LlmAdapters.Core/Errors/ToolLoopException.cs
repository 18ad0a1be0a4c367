// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters;

/// <summary>
/// Thrown when a tool loop (function invocation) ends because the model or a tool kept failing: arguments that are not
/// valid JSON, a tool the caller did not offer, or a tool that throws, more times in a row than the configured
/// <c>MaximumConsecutiveErrors</c>. It names the <see cref="Kind"/>, the <see cref="ToolName"/> and the number of model
/// calls the run made (<see cref="Iterations"/>).
/// </summary>
/// <remarks>
/// The message never holds the tool's own exception text nor the arguments (either may hold data the caller must not
/// show): a failing tool's exception is the <see cref="Exception.InnerException"/>, for the application's log.
/// </remarks>
public sealed class ToolLoopException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ToolLoopException"/> class.</summary>
    /// <param name="kind">Why the loop ended.</param>
    /// <param name="toolName">The tool the model called.</param>
    /// <param name="iterations">The model calls the run made, the failing ones included.</param>
    /// <param name="innerException">The tool's exception, for <see cref="ToolLoopErrorKind.ToolFailed"/>.</param>
    public ToolLoopException(ToolLoopErrorKind kind, string toolName, int iterations, Exception? innerException = null)
        : base(FormatMessage(kind, toolName ?? string.Empty, iterations, innerException), innerException)
    {
        Kind = kind;
        ToolName = toolName ?? string.Empty;
        Iterations = iterations;
    }

    /// <summary>Gets why the loop ended.</summary>
    public ToolLoopErrorKind Kind { get; }

    /// <summary>Gets the name of the tool the model called (as the model wrote it).</summary>
    public string ToolName { get; }

    /// <summary>Gets the number of model calls the run made, the failing ones included (0 when not known).</summary>
    public int Iterations { get; }

    private static string FormatMessage(ToolLoopErrorKind kind, string toolName, int iterations, Exception? inner)
    {
        // The tool name comes from the model: keep it short and on one line.
        var name = toolName.Length > 64 ? toolName[..64] + "…" : toolName;
        name = name.ReplaceLineEndings(" ");
        var after = iterations > 0 ? string.Create(CultureInfo.InvariantCulture, $" after {iterations} model call{(iterations == 1 ? "" : "s")}") : "";
        return kind switch
        {
            ToolLoopErrorKind.InvalidArguments =>
                $"The tool loop stopped{after}: the model kept calling the tool '{name}' with arguments that are not valid JSON (the call was never run).",
            ToolLoopErrorKind.UnknownTool =>
                $"The tool loop stopped{after}: the model kept calling '{name}', a tool this call does not offer (nothing was run).",
            _ => $"The tool loop stopped{after}: the tool '{name}' kept failing ({inner?.GetType().Name ?? "an exception"}; the inner exception has the details).",
        };
    }
}
