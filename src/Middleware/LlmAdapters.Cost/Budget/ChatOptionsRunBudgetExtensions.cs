// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// The per-call run budget (<see cref="RunBudget"/>) carried in <see cref="ChatOptions.AdditionalProperties"/>: it replaces
/// the configured <c>AI:Pipeline:Budget:Run</c> for this call.
/// </summary>
public static class ChatOptionsRunBudgetExtensions
{
    /// <summary>The key of this call's run budget (a <see cref="RunBudget"/>).</summary>
    public const string RunBudgetKey = "llmadapters.budget.run";

    /// <summary>Sets this call's run budget: the limits of its whole tool loop, instead of the configured ones.</summary>
    /// <param name="options">The options.</param>
    /// <param name="budget">The limits.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">A limit is invalid.</exception>
    public static ChatOptions WithRunBudget(this ChatOptions options, RunBudget budget)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        return ChatCallOverrides.Set(options, RunBudgetKey, budget);
    }

    /// <summary>Gets this call's run budget.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The budget, or <see langword="null"/> when the call has none.</returns>
    /// <exception cref="ArgumentException">The value is not a <see cref="RunBudget"/>: a mistake, never ignored.</exception>
    public static RunBudget? GetRunBudget(this ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(RunBudgetKey, out var value) || value is null)
        {
            return null;
        }

        return value as RunBudget
            ?? throw new ArgumentException($"The per-call override '{RunBudgetKey}' is a {value.GetType().Name}: set it with ChatOptions.WithRunBudget(new RunBudget {{ … }}).", nameof(options));
    }
}
