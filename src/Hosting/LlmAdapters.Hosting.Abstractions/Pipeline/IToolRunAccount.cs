// Licensed under the MIT License.

using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// The account of one run (<see cref="IToolRunAccounting.Start"/>): asked before each model call of the loop whether it
/// may be made, told what each call used, and told how the run ended. Used by one run at a time.
/// </summary>
public interface IToolRunAccount
{
    /// <summary>Decides whether the next model call of the run may be made.</summary>
    /// <param name="messages">The messages the call would send.</param>
    /// <param name="options">The options the call would send.</param>
    /// <param name="progress">What the run did so far.</param>
    /// <returns><see langword="null"/> to make the call as asked; a <see cref="ToolRunWrapUp"/> to make it the run's last, without tools.</returns>
    /// <exception cref="InvalidOperationException">The run may make no further call (for example <c>BudgetExceededException</c>): the run ends with it, and no request is sent.</exception>
    ToolRunWrapUp? BeforeModelCall(IEnumerable<ChatMessage> messages, ChatOptions? options, ToolRunProgress progress);

    /// <summary>Adds what one model call used (also when its stream failed or was abandoned).</summary>
    /// <param name="responseModelId">The model id the response named, if any.</param>
    /// <param name="requestedModelId">The model id the call asked for, if any.</param>
    /// <param name="usage">The call's usage, if it reported any.</param>
    /// <param name="orchestrateSpan">The run's <c>orchestrate_tools</c> span, if it is recorded.</param>
    void AfterModelCall(string? responseModelId, string? requestedModelId, UsageDetails? usage, Activity? orchestrateSpan);

    /// <summary>Ends a run that answered: attaches what the account keeps of it to the final response (or the last streamed update).</summary>
    /// <param name="progress">What the run did.</param>
    /// <param name="properties">The additional properties of the final response or update.</param>
    void Complete(ToolRunProgress progress, AdditionalPropertiesDictionary properties);

    /// <summary>
    /// Ends a run that failed: what its model calls already consumed was billed, so the account attaches it to the exception
    /// (the stages outside the loop record and settle it).
    /// </summary>
    /// <param name="progress">What the run did.</param>
    /// <param name="exception">The exception the run ends with.</param>
    void Fail(ToolRunProgress progress, Exception exception);
}
