// Licensed under the MIT License.

namespace LlmAdapters.Cost;

/// <summary>Totals of an <see cref="ICostLedger"/> for one key (a client, a model, a tenant) or for everything.</summary>
public sealed class CostSummary
{
    /// <summary>Gets the key the totals are for (a client name, model id or tenant), or <see langword="null"/> for entries without one.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the total cost in US dollars of the priced calls.</summary>
    public decimal Total { get; init; }

    /// <summary>Gets the number of calls recorded, priced or not.</summary>
    public long Calls { get; init; }

    /// <summary>Gets the number of calls whose cost is unknown (they are not in <see cref="Total"/>).</summary>
    public long UnpricedCalls { get; init; }

    /// <summary>Gets the input tokens of all calls.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the output tokens of all calls.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Returns the total in US dollars, e.g. <c>$0.0075</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ChatCost.FormatUsd(Total);
}
