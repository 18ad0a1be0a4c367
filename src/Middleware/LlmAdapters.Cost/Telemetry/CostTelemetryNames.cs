// Licensed under the MIT License.

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmAdapters.Cost;

/// <summary>
/// The names of the package's <see cref="Meter"/>, instruments and tags, and of the tag it sets on the current
/// <see cref="Activity"/> (docs/cost.md, "Telemetry"). The GenAI semantic conventions define no cost instrument: these are
/// our extension. The package starts no activity of its own: it has a meter and no activity source.
/// </summary>
public static class CostTelemetryNames
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "LlmAdapters.Cost";

    /// <summary>The counter of cost, in US dollars (unit <c>USD</c>).</summary>
    public const string CostInstrument = "llmadapters.cost";

    /// <summary>The counter of responses whose cost is unknown (unit <c>{response}</c>).</summary>
    public const string UnpricedInstrument = "llmadapters.cost.unpriced";

    /// <summary>The counter of calls a budget rejected (unit <c>{request}</c>).</summary>
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
}
