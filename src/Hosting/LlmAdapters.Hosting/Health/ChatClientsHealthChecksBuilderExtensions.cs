// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for the configured chat clients of <c>AddConfiguredChatClients</c>.</summary>
public static class ChatClientsHealthChecksBuilderExtensions
{
    /// <summary>The tag every chat client check carries, to map them alone (<c>MapHealthChecks("/health/ai", new() { Predicate = r => r.Tags.Contains("llm") })</c>).</summary>
    public const string Tag = "llm";

    /// <summary>
    /// Adds one health check per configured client, named <c>chat:{client}</c>: it checks the client's configuration, then
    /// reaches the provider's cheapest endpoint with the client's key (OpenAI and compatible servers <c>GET /models</c>,
    /// Anthropic <c>GET /v1/models</c>, Ollama <c>GET /api/tags</c>, where the model must be pulled). No chat call is made.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status of a failed check.</param>
    /// <param name="timeout">How long a probe may take.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>The clients are read from <see cref="ConfiguredChatClients"/> when the health check service first runs.</remarks>
    public static IHealthChecksBuilder AddChatClientsHealthChecks(this IHealthChecksBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var probeTimeout = timeout ?? TimeSpan.FromSeconds(10);
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<ConfiguredChatClients>((options, clients) =>
        {
            foreach (var name in clients.Names)
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    "chat:" + name, services => ChatClientHealthCheck.Create(services, name, probeTimeout), failureStatus, [Tag]));
            }
        });
        return builder;
    }
}
