// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// What one run (one call of the application, with every model call of its tool loop) consumed: the final response
/// carries it (<see cref="ChatRunTotalsExtensions.GetRunTotals(ChatResponse)"/>), and so does the run's
/// <c>orchestrate_tools</c> span.
/// </summary>
public sealed class ChatRunTotals
{
    /// <summary>Gets the model calls the run made.</summary>
    public required int ModelCalls { get; init; }

    /// <summary>Gets the usage of every model call, summed (<see langword="null"/> when no call reported usage).</summary>
    public UsageDetails? Usage { get; init; }

    /// <summary>Gets the cost of every priced model call, summed (<see langword="null"/> when none was priced).</summary>
    public ChatCost? Cost { get; init; }

    /// <summary>Gets the model id the run's last answered model call named (else the one it asked for), if any: the run's usage is priced by it when the run ends with an exception.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gets the model calls whose cost is unknown (an unpriced model, or no usage): <see cref="Cost"/> leaves them out.</summary>
    public int UnpricedCalls { get; init; }

    /// <summary>Gets how long the run took, by the pipeline's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets a value indicating whether the run reached a limit of its <see cref="RunBudget"/> and ended with a wrap-up call.</summary>
    public bool WrappedUp { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{ModelCalls} model call{(ModelCalls == 1 ? "" : "s")}, {Usage?.InputTokenCount ?? 0} in / {Usage?.OutputTokenCount ?? 0} out tokens, cost {(Cost is null ? "unknown" : Cost.ToString())}{(UnpricedCalls > 0 ? FormattableString.Invariant($" ({UnpricedCalls} unpriced)") : "")}");
}
