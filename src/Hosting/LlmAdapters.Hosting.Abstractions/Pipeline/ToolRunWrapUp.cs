// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// How a run's wrap-up call is made (<see cref="IToolRunAccount.BeforeModelCall"/>): once more with the function tools
/// removed, the instruction added as a user message and the output capped; its tool calls are not run, so the loop ends
/// with its answer.
/// </summary>
public sealed class ToolRunWrapUp
{
    /// <summary>Initializes a new instance of the <see cref="ToolRunWrapUp"/> class.</summary>
    /// <param name="instruction">The instruction added to the call.</param>
    /// <param name="maxOutputTokens">The most output tokens the call may produce.</param>
    /// <exception cref="ArgumentException">The instruction is empty or the output limit is not positive.</exception>
    public ToolRunWrapUp(string instruction, int maxOutputTokens)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputTokens, 1);
        Instruction = instruction;
        MaxOutputTokens = maxOutputTokens;
    }

    /// <summary>Gets the instruction added (as a user message) to the wrap-up call.</summary>
    public string Instruction { get; }

    /// <summary>Gets the most output tokens the wrap-up call may produce.</summary>
    public int MaxOutputTokens { get; }
}
