// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Per-call limits of the tool loop (the FunctionInvocation stage) carried in <see cref="ChatOptions.AdditionalProperties"/>:
/// a call may lower the configured <c>MaximumIterationsPerRequest</c> and <c>MaximumConsecutiveErrors</c>, never raise them.
/// </summary>
public static class ChatOptionsToolLoopExtensions
{
    /// <summary>The key of this call's tool-loop iteration limit (a whole number from 1 to 100).</summary>
    public const string MaxIterationsKey = "llmadapters.tools.max_iterations";

    /// <summary>The key of this call's limit of consecutive failed tool rounds (a whole number from 0 to 10).</summary>
    public const string MaxConsecutiveErrorsKey = "llmadapters.tools.max_consecutive_errors";

    /// <summary>Sets how many rounds of tool calls this call's loop may make before one last call without tools.</summary>
    /// <param name="options">The options.</param>
    /// <param name="iterations">1 to 100, at most the configured <c>MaximumIterationsPerRequest</c>.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is out of range.</exception>
    public static ChatOptions WithMaxToolIterations(this ChatOptions options, int iterations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, 100);
        return ChatCallOverrides.Set(options, MaxIterationsKey, iterations);
    }

    /// <summary>Sets how many rounds of failed tool calls in a row this call's loop tolerates before it ends with <see cref="ToolLoopException"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="errors">0 (the first failure ends the run) to 10, at most the configured <c>MaximumConsecutiveErrors</c>.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="errors"/> is out of range.</exception>
    public static ChatOptions WithMaxConsecutiveToolErrors(this ChatOptions options, int errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(errors);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errors, 10);
        return ChatCallOverrides.Set(options, MaxConsecutiveErrorsKey, errors);
    }

    /// <summary>Gets this call's tool-loop iteration limit.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The limit, or <see langword="null"/> when the call does not set it.</returns>
    /// <exception cref="ArgumentException">The value is not a whole number from 1 to 100.</exception>
    public static int? GetMaxToolIterations(this ChatOptions? options) => ChatCallOverrides.GetInt32(options, MaxIterationsKey, 1, 100);

    /// <summary>Gets this call's limit of consecutive failed tool rounds.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The limit, or <see langword="null"/> when the call does not set it.</returns>
    /// <exception cref="ArgumentException">The value is not a whole number from 0 to 10.</exception>
    public static int? GetMaxConsecutiveToolErrors(this ChatOptions? options) => ChatCallOverrides.GetInt32(options, MaxConsecutiveErrorsKey, 0, 10);
}
