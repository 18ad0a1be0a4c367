// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>The accounting of one configured client's tool-loop runs (<see cref="IToolRunAccountingFactory"/>). Thread-safe.</summary>
public interface IToolRunAccounting
{
    /// <summary>Starts accounting one run: one call of the application, with every model call of its tool loop.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="isRun">
    /// Whether the loop tracks the call as a run anyway (it offers tools or lowers a loop limit, or it started no run and
    /// its model called a tool all the same: the run then starts with that answer). When <see langword="false"/>,
    /// return <see langword="null"/> unless this accounting needs the run itself (a run budget): the call then passes
    /// through M.E.AI's loop with nothing allocated.
    /// </param>
    /// <returns>The run's account, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">A per-call override is invalid.</exception>
    IToolRunAccount? Start(ChatOptions? options, bool isRun);
}
