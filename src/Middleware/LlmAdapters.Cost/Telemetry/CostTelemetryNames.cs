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

    /// <summary>
    /// The span attribute with the cost of the call (on each <c>chat</c> span) or of the run (on the <c>orchestrate_tools</c>
    /// span), as a number in <see cref="CostCurrencyAttribute"/>. Experimental: the shape of OpenTelemetry GenAI proposal
    /// PR #443 (semantic-conventions-genai), not yet a convention.
    /// </summary>
    public const string CostAmountAttribute = "gen_ai.usage.cost.amount";

    /// <summary>The span attribute (and counter tag) with the ISO 4217 currency of <see cref="CostAmountAttribute"/>: always <c>USD</c>. Experimental (PR #443).</summary>
    public const string CostCurrencyAttribute = "gen_ai.usage.cost.currency";

    /// <summary>
    /// The span attribute (and counter tag) saying where the amount comes from: <see cref="CostSourceCatalog"/> or
    /// <see cref="CostSourceEstimated"/>. Experimental (PR #443).
    /// </summary>
    public const string CostSourceAttribute = "gen_ai.usage.cost.source";

    /// <summary>The value of <see cref="CostSourceAttribute"/> for a cost computed from the usage the provider reported and the price catalog.</summary>
    public const string CostSourceCatalog = "catalog";

    /// <summary>
    /// The value of <see cref="CostSourceAttribute"/> for a cost estimated by the library: a stream cancelled before its usage
    /// arrived, or a model priced by the <c>UnpricedModels: Estimate</c> policy.
    /// </summary>
    public const string CostSourceEstimated = "estimated";
}
