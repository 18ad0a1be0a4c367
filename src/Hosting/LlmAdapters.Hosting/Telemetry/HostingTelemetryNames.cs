// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// The names configured pipelines report under: the <c>LlmAdapters.Hosting</c> meter (every call of a configured client by
/// outcome and error kind, and its duration), its instruments and tags. The package starts no activity of its own; the
/// <c>gen_ai</c> spans are Microsoft.Extensions.AI's (<c>Pipeline:OpenTelemetry:SourceName</c>). docs/middleware.md lists them.
/// </summary>
public static class HostingTelemetryNames
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "LlmAdapters.Hosting";

    /// <summary>The counter of calls, by outcome and error kind (unit <c>{request}</c>).</summary>
    public const string RequestsInstrument = "llmadapters.client.requests";

    /// <summary>The histogram of call durations, tool loops and retries included (unit <c>s</c>).</summary>
    public const string DurationInstrument = "llmadapters.client.duration";

    /// <summary>
    /// The histogram of the time a call spent in the library, the configured pipeline and the adapter, minus the time the adapter
    /// waited on the provider's bytes (unit <c>s</c>); for a stream, the time the caller waited on the next update, without the
    /// caller's own time between updates. Recorded only while someone listens to it, and only for adapters that report their
    /// waiting (the native ones, through <see cref="ProviderWaitTime"/>).
    /// </summary>
    public const string OverheadInstrument = "llmadapters.client.overhead";

    /// <summary>The tag of the configured client's name.</summary>
    public const string ClientTag = "llmadapters.client";

    /// <summary>The tag of the provider's name (GenAI semantic conventions).</summary>
    public const string ProviderTag = "gen_ai.provider.name";

    /// <summary>The tag of the outcome: <c>success</c>, <c>failure</c> or <c>cancelled</c>.</summary>
    public const string OutcomeTag = "llmadapters.outcome";

    /// <summary>The tag of a failure's kind (<see cref="ChatProviderErrorKind"/>, <c>BudgetExceeded</c>, or the exception type).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>
    /// The attribute of a run's <c>orchestrate_tools</c> span with the model calls the run made (its cost is
    /// <c>gen_ai.usage.cost.amount</c>, <c>CostTelemetryNames.CostAmountAttribute</c>). Experimental.
    /// </summary>
    public const string RunModelCallsAttribute = "llmadapters.run.model_calls";

    /// <summary>The attribute of a run's <c>orchestrate_tools</c> span set to <see langword="true"/> when the run budget ended it with a wrap-up call. Experimental.</summary>
    public const string RunWrappedUpAttribute = "llmadapters.run.wrapped_up";
}
