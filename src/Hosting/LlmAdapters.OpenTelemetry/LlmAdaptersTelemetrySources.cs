// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using LlmAdapters.Resilience;

namespace LlmAdapters;

/// <summary>
/// The names of every <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// a configured LlmAdapters pipeline reports to: ours, one per package, and Microsoft.Extensions.AI's (the
/// <c>gen_ai</c> spans and metrics of <c>UseOpenTelemetry()</c>, the <c>execute_tool</c> and <c>orchestrate_tools</c>
/// spans of function invocation).
/// </summary>
public static class LlmAdaptersTelemetrySources
{
    /// <summary>The default source and meter name of Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> and <c>FunctionInvokingChatClient</c>.</summary>
    public const string MicrosoftExtensionsAI = "Experimental.Microsoft.Extensions.AI";

    /// <summary>The meter of the resilience middleware (retry, timeouts, rate limits, fallback, key rotation).</summary>
    public const string Resilience = ResilienceTelemetryNames.MeterName;

    /// <summary>The meter of cost accounting and budgets.</summary>
    public const string Cost = CostTelemetryNames.MeterName;

    /// <summary>The meter of configured pipelines: calls by outcome and error kind, and their duration.</summary>
    public const string Hosting = HostingTelemetryNames.MeterName;

    /// <summary>The meter of the Redis stores: operations Redis could not serve.</summary>
    /// <remarks>
    /// <c>LlmAdapters.Redis.RedisTelemetryNames.MeterName</c>, written out so that this package does not bring the Redis package (and
    /// StackExchange.Redis) into an app that does not use it; a test checks the two agree.
    /// </remarks>
    public const string Redis = "LlmAdapters.Redis";

    /// <summary>
    /// Gets the names of every activity source: Microsoft.Extensions.AI's only. Our middleware starts no span of its own; it
    /// sets its tags (retry attempts, fallback client, cost…) on the current <c>gen_ai</c> span.
    /// </summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } = [MicrosoftExtensionsAI];

    /// <summary>Gets the names of every meter.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [MicrosoftExtensionsAI, Resilience, Cost, Hosting, Redis];
}
