// Licensed under the MIT License.

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmAdapters.Cost;

/// <summary>
/// The names of the package's <see cref="Meter"/>, <see cref="ActivitySource"/>, instruments and tags (docs/cost.md,
/// "Telemetry"). The GenAI semantic conventions define no cost instrument: these are our extension.
/// </summary>
public static class CostTelemetry
{
    /// <summary>The name of the package's meter and activity source.</summary>
    public const string Name = "LlmAdapters.Cost";

    /// <summary>The counter of cost, in US dollars (unit <c>{USD}</c>).</summary>
    public const string CostInstrument = "llmadapters.cost";

    /// <summary>The counter of responses whose cost is unknown (unit <c>{response}</c>).</summary>
    public const string UnpricedInstrument = "llmadapters.cost.unpriced";

    /// <summary>The counter of calls a budget rejected (unit <c>{call}</c>).</summary>
    public const string BudgetRejectedInstrument = "llmadapters.budget.rejected";

    /// <summary>The tag (and the <see cref="Activity"/> tag) with the cost in US dollars.</summary>
    public const string CostTag = "llmadapters.cost";

    /// <summary>The tag with the configured client's name.</summary>
    public const string ClientTag = "llmadapters.client";

    /// <summary>The tag with the provider name (GenAI semantic conventions).</summary>
    public const string ProviderTag = "gen_ai.provider.name";

    /// <summary>The tag with the model that answered (GenAI semantic conventions).</summary>
    public const string ModelTag = "gen_ai.response.model";

    /// <summary>The tag with the budget limit's name.</summary>
    public const string BudgetLimitTag = "llmadapters.budget.limit";

    private static readonly string? s_version = typeof(CostTelemetry).Assembly.GetName().Version?.ToString();

    internal static Meter Meter { get; } = new(new MeterOptions(Name) { Version = s_version });

    internal static ActivitySource ActivitySource { get; } = new(new ActivitySourceOptions(Name) { Version = s_version });

    internal static Counter<double> Cost { get; } = Meter.CreateCounter<double>(CostInstrument, "{USD}", "The cost of chat responses in US dollars, from the price catalog.");

    internal static Counter<long> Unpriced { get; } = Meter.CreateCounter<long>(UnpricedInstrument, "{response}", "Chat responses whose cost is unknown (no price for the model, or no usage).");

    internal static Counter<long> BudgetRejected { get; } = Meter.CreateCounter<long>(BudgetRejectedInstrument, "{call}", "Chat calls rejected because a budget could not reserve their worst-case cost.");
}
