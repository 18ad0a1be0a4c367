// Licensed under the MIT License.

using LlmAdapters.Cost;

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The cost of a reply in US dollars, as cost accounting priced it.</summary>
/// <param name="Total">The total.</param>
/// <param name="Formatted">The total as text, e.g. <c>$0.000123</c>.</param>
/// <param name="PricedAs">The price catalog row used.</param>
/// <param name="Cached">Whether the reply came from the response cache (then the total is $0).</param>
internal sealed record ChatCostInfo(decimal Total, string Formatted, string? PricedAs, bool Cached)
{
    public static ChatCostInfo? From(ChatCost? cost) =>
        cost is null ? null : new(cost.Total, ChatCost.FormatUsd(cost.Total), cost.PricedAs, cost.IsCached);
}
