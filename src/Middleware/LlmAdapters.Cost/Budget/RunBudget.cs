// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>
/// Limits of one run: one call of the application, with every model call its tool loop makes. Before each model call
/// of the loop, function invocation checks what is left; when the next call would not fit, the run ends with
/// <see cref="BudgetExceededException"/> naming the limit, or, with <see cref="WrapUp"/>, makes one last call with the
/// tools removed and <see cref="WrapUpInstruction"/>, within what remains (docs/cost.md, "Runs").
/// </summary>
/// <remarks>
/// Configured under <c>AI:Pipeline:Budget:Run</c> (keys <c>Cost</c>, <c>Tokens</c>, <c>ModelCalls</c>, <c>Duration</c>,
/// <c>WrapUp</c>, <c>WrapUpInstruction</c>, <c>WrapUpMaxOutputTokens</c>), or per call with
/// <see cref="ChatOptionsRunBudgetExtensions.WithRunBudget"/>. Enforced by the FunctionInvocation stage of a configured
/// pipeline; a limit left <see langword="null"/> is not checked.
/// </remarks>
public sealed class RunBudget
{
    /// <summary>The instruction of the wrap-up call unless <see cref="WrapUpInstruction"/> says otherwise.</summary>
    public const string DefaultWrapUpInstruction =
        "The budget for this request is almost spent: do not call any tool. Answer now, briefly, with what you have; say what is missing.";

    /// <summary>Gets or sets the name the limits are reported under: the configuration path in configured pipelines.</summary>
    /// <value>The default value is <c>Run</c>; configured runs use <c>AI:Pipeline:Budget:Run</c> (or the client's path).</value>
    public string Name { get; set; } = "Run";

    /// <summary>Gets or sets the most the run may cost, in US dollars (every model call at the catalog's price).</summary>
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the most tokens (input and output of every model call) the run may use.</summary>
    public long? MaxTokens { get; set; }

    /// <summary>Gets or sets the most model calls the run may make, the first included.</summary>
    public int? MaxModelCalls { get; set; }

    /// <summary>Gets or sets the longest the run may take: no model call starts after it (the wrap-up call excepted).</summary>
    public TimeSpan? MaxDuration { get; set; }

    /// <summary>Gets or sets a value indicating whether a run that reaches a limit makes one last call without tools instead of failing.</summary>
    /// <value>The default value is <see langword="false"/>: the run ends with <see cref="BudgetExceededException"/>.</value>
    public bool WrapUp { get; set; }

    /// <summary>Gets or sets the instruction added (as a user message) to the wrap-up call.</summary>
    /// <value>The default value is <see cref="DefaultWrapUpInstruction"/>.</value>
    public string WrapUpInstruction { get; set; } = DefaultWrapUpInstruction;

    /// <summary>Gets or sets the most output tokens the wrap-up call may produce (less when less remains).</summary>
    /// <value>The default value is 512.</value>
    public int WrapUpMaxOutputTokens { get; set; } = 512;

    /// <summary>Gets or sets the output tokens a model call is assumed to produce at most when neither the call's <c>MaxOutputTokens</c> nor the catalog's limit is known.</summary>
    /// <value>The default value is 4096 (as <see cref="BudgetChatClientOptions.DefaultMaxOutputTokens"/>).</value>
    public int DefaultMaxOutputTokens { get; set; } = 4096;

    /// <summary>Gets a value indicating whether any limit is set.</summary>
    public bool HasLimits => MaxCost is not null || MaxTokens is not null || MaxModelCalls is not null || MaxDuration is not null;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A limit is not positive, or the wrap-up settings are invalid.</exception>
    public void Validate()
    {
        if (MaxCost is <= 0 || MaxTokens is <= 0 || MaxModelCalls is <= 0 || MaxDuration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Every limit of the run budget '{Name}' must be positive.");
        }

        if (WrapUpMaxOutputTokens < 1 || DefaultMaxOutputTokens < 1 || string.IsNullOrWhiteSpace(WrapUpInstruction))
        {
            throw new ArgumentException($"The run budget '{Name}' needs a wrap-up instruction and positive output limits.");
        }
    }
}
