// Licensed under the MIT License.

using LlmAdapters.Cost;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The cost of a reply in US dollars, as cost accounting priced it.</summary>
/// <param name="Total">The total.</param>
/// <param name="Formatted">The total as text, e.g. <c>$0.000123</c>.</param>
/// <param name="PricedAs">The price catalog row used.</param>
internal sealed record ChatCostInfo(decimal Total, string Formatted, string? PricedAs)
{
    public static ChatCostInfo? From(ChatCost? cost) =>
        cost is null ? null : new(cost.Total, ChatCost.FormatUsd(cost.Total), cost.PricedAs);
}
