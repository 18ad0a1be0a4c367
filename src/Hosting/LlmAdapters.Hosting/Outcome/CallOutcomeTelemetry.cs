// Licensed under the MIT License.

using System.Diagnostics.Metrics;

namespace LlmAdapters.Hosting;

/// <summary>
/// The meter of configured pipelines, <c>LlmAdapters.Hosting</c>: every call of a configured client by outcome and error
/// kind, and its duration. Tokens and cost are counted by Microsoft.Extensions.AI (<c>gen_ai.client.token.usage</c>) and
/// cost accounting (<c>llmadapters.cost</c>).
/// </summary>
public static class CallOutcomeTelemetry
{
    /// <summary>The meter name.</summary>
    public const string Name = "LlmAdapters.Hosting";

    /// <summary>The counter of calls: <c>llmadapters.client.requests</c>.</summary>
    public const string RequestsInstrument = "llmadapters.client.requests";

    /// <summary>The histogram of call durations in seconds: <c>llmadapters.client.duration</c>.</summary>
    public const string DurationInstrument = "llmadapters.client.duration";

    /// <summary>The tag of the configured client's name.</summary>
    public const string ClientTag = "llmadapters.client";

    /// <summary>The tag of the provider's name.</summary>
    public const string ProviderTag = "gen_ai.provider.name";

    /// <summary>The tag of the outcome: <c>success</c>, <c>failure</c> or <c>cancelled</c>.</summary>
    public const string OutcomeTag = "llmadapters.outcome";

    /// <summary>The tag of a failure's kind (<see cref="ChatProviderErrorKind"/>, <c>BudgetExceeded</c>, or the exception type).</summary>
    public const string ErrorTypeTag = "error.type";

    internal const string Success = "success";
    internal const string Failure = "failure";
    internal const string Cancelled = "cancelled";

    private static readonly Meter s_meter = new(new MeterOptions(Name) { Version = typeof(CallOutcomeTelemetry).Assembly.GetName().Version?.ToString() });

    internal static Counter<long> Requests { get; } = s_meter.CreateCounter<long>(RequestsInstrument, "{request}", "Calls of configured chat clients, by outcome and error kind.");

    internal static Histogram<double> Duration { get; } = s_meter.CreateHistogram<double>(DurationInstrument, "s", "Duration of calls of configured chat clients, tool loops and retries included.");
}
