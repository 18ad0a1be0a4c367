// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost;

/// <summary>
/// Per-call overrides of <see cref="BudgetChatClient"/> carried in <see cref="ChatOptions.AdditionalProperties"/>: the
/// worst-case output the call's reservation assumes. The tenant is <see cref="ChatOptionsTenantExtensions.WithTenant"/>.
/// </summary>
public static class ChatOptionsBudgetExtensions
{
    /// <summary>The key of the output tokens this call's budget reservation assumes (a positive <see cref="int"/>).</summary>
    public const string WorstCaseOutputTokensKey = "llmadapters.budget.max_output_tokens";

    /// <summary>
    /// Sets the output tokens this call's budget reservation assumes, instead of <see cref="ChatOptions.MaxOutputTokens"/>,
    /// the model's catalog limit or <see cref="BudgetChatClientOptions.DefaultMaxOutputTokens"/>. It limits nothing the
    /// provider does: once the call ends, its actual cost is what is counted.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="maxOutputTokens">A positive number of tokens.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOutputTokens"/> is not positive.</exception>
    public static ChatOptions WithWorstCaseOutputTokens(this ChatOptions options, int maxOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputTokens, 1);
        return ChatCallOverrides.Set(options, WorstCaseOutputTokensKey, maxOutputTokens);
    }

    /// <summary>Gets this call's worst-case output tokens override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The tokens, or <see langword="null"/> when the call does not override them.</returns>
    /// <exception cref="ArgumentException">The value is not a positive whole number: a mistake, never ignored.</exception>
    public static int? GetWorstCaseOutputTokens(this ChatOptions? options) =>
        ChatCallOverrides.GetInt32(options, WorstCaseOutputTokensKey, 1, int.MaxValue);
}
