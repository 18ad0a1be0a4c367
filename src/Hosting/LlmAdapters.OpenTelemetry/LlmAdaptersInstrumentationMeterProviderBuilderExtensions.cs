// Licensed under the MIT License.

using LlmAdapters;

namespace OpenTelemetry.Metrics;

/// <summary>Registers the meters of LlmAdapters and Microsoft.Extensions.AI with a <see cref="MeterProviderBuilder"/>.</summary>
public static class LlmAdaptersInstrumentationMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds every meter of LlmAdapters and of Microsoft.Extensions.AI (<see cref="LlmAdaptersTelemetrySources.MeterNames"/>:
    /// requests by outcome and error kind, latency, tokens, cost, retries, rate-limit waits), and any meter name given.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <param name="additionalMeterNames">More meter names to add.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static MeterProviderBuilder AddLlmAdaptersInstrumentation(this MeterProviderBuilder builder, params string[] additionalMeterNames)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(additionalMeterNames);
        return builder.AddMeter([.. LlmAdaptersTelemetrySources.MeterNames, .. additionalMeterNames]);
    }
}
