// Licensed under the MIT License.

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmAdapters.Cost;

/// <summary>The package's one <see cref="Meter"/> and its instruments, named by <see cref="CostTelemetryNames"/>.</summary>
internal static class CostTelemetry
{
    public const string CostTag = CostTelemetryNames.CostTag;
    public const string ClientTag = CostTelemetryNames.ClientTag;
    public const string ProviderTag = CostTelemetryNames.ProviderTag;
    public const string ModelTag = CostTelemetryNames.ModelTag;
    public const string BudgetLimitTag = CostTelemetryNames.BudgetLimitTag;

    private static readonly string? s_version = typeof(CostTelemetry).Assembly.GetName().Version?.ToString();

    internal static Meter Meter { get; } = new(new MeterOptions(CostTelemetryNames.MeterName) { Version = s_version });

    internal static Counter<double> Cost { get; } = Meter.CreateCounter<double>(CostTelemetryNames.CostInstrument, "USD", "The cost of chat responses in US dollars, from the price catalog.");

    internal static Counter<long> Unpriced { get; } = Meter.CreateCounter<long>(CostTelemetryNames.UnpricedInstrument, "{response}", "Chat responses whose cost is unknown (no price for the model, or no usage).");

    /// <summary>The value of <see cref="CostTelemetryNames.CostSourceAttribute"/> for a cost.</summary>
    internal static string SourceOf(ChatCost cost) => cost.IsEstimated ? CostTelemetryNames.CostSourceEstimated : CostTelemetryNames.CostSourceCatalog;

    /// <summary>Sets the cost attributes (PR #443 shape, and <see cref="CostTag"/>) on a span.</summary>
    internal static void Tag(Activity? activity, ChatCost cost)
    {
        if (activity is null)
        {
            return;
        }

        _ = activity.SetTag(CostTag, (double)cost.Total);
        _ = activity.SetTag(CostTelemetryNames.CostAmountAttribute, (double)cost.Total);
        _ = activity.SetTag(CostTelemetryNames.CostCurrencyAttribute, ChatCost.UsdCurrency);
        _ = activity.SetTag(CostTelemetryNames.CostSourceAttribute, SourceOf(cost));
    }

    internal static Counter<long> BudgetRejected { get; } = Meter.CreateCounter<long>(CostTelemetryNames.BudgetRejectedInstrument, "{request}", "Chat calls rejected because a budget could not reserve their worst-case cost.");
}
