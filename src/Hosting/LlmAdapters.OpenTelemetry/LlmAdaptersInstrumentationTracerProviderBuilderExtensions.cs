// Licensed under the MIT License.

using LlmAdapters;

namespace OpenTelemetry.Trace;

/// <summary>Registers the activity sources of LlmAdapters and Microsoft.Extensions.AI with a <see cref="TracerProviderBuilder"/>.</summary>
public static class LlmAdaptersInstrumentationTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds every activity source of LlmAdapters and of Microsoft.Extensions.AI
    /// (<see cref="LlmAdaptersTelemetrySources.ActivitySourceNames"/>), and any source name given, e.g. the
    /// <c>AI:Pipeline:OpenTelemetry:SourceName</c> you configured.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <param name="additionalSourceNames">More source names to add.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddLlmAdaptersInstrumentation(this TracerProviderBuilder builder, params string[] additionalSourceNames)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(additionalSourceNames);
        return builder.AddSource([.. LlmAdaptersTelemetrySources.ActivitySourceNames, .. additionalSourceNames]);
    }
}
