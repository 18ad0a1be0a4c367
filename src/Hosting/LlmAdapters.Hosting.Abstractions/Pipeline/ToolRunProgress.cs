// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>What a tool-loop run did so far, as the FunctionInvocation stage counts it (<see cref="IToolRunAccount"/>).</summary>
public readonly struct ToolRunProgress
{
    /// <summary>Initializes a new instance of the <see cref="ToolRunProgress"/> struct.</summary>
    /// <param name="modelCalls">The model calls started so far.</param>
    /// <param name="usage">The usage of those calls, summed, or <see langword="null"/> when none reported usage.</param>
    /// <param name="totalTokens">The input and output tokens of those calls.</param>
    /// <param name="elapsed">The time since the run started, by the pipeline's <see cref="TimeProvider"/>.</param>
    /// <param name="wrappedUp">Whether the run already made its wrap-up call.</param>
    public ToolRunProgress(int modelCalls, UsageDetails? usage, long totalTokens, TimeSpan elapsed, bool wrappedUp)
    {
        ModelCalls = modelCalls;
        Usage = usage;
        TotalTokens = totalTokens;
        Elapsed = elapsed;
        WrappedUp = wrappedUp;
    }

    /// <summary>Gets the model calls started so far.</summary>
    public int ModelCalls { get; }

    /// <summary>Gets the usage of those calls, summed (<see langword="null"/> when none reported usage).</summary>
    public UsageDetails? Usage { get; }

    /// <summary>Gets the input and output tokens of those calls.</summary>
    public long TotalTokens { get; }

    /// <summary>Gets the time since the run started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets a value indicating whether the run already made its wrap-up call.</summary>
    public bool WrappedUp { get; }
}
