// Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>
/// The health of one configured client: its configuration always, then the provider's reachability and the key's
/// validity through the provider's cheapest endpoint (<see cref="ProviderProbe"/>), never a chat call.
/// </summary>
/// <remarks>
/// Unhealthy: the configuration is invalid, the provider cannot be reached, or it refuses the key (401, 403).
/// Degraded: the provider answers with another error (429, 5xx), or Ollama has not pulled the model.
/// The data names the provider, model and endpoint, never the key.
/// </remarks>
internal sealed class ChatClientHealthCheck(string clientName, ConfiguredChatClients clients, IHttpClientFactory httpClients, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = clients.Validate(clientName);
        if (problems.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The configuration is not valid: " + string.Join(" ", problems));
        }

        ChatClientSettings settings;
        try
        {
            settings = clients.GetSettings(clientName);
        }
        catch (OptionsValidationException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The configuration is not valid: " + string.Join(" ", ex.Failures));
        }

        var data = new Dictionary<string, object>
        {
            ["provider"] = settings.Provider,
            ["model"] = settings.Model ?? string.Empty,
            ["endpoint"] = settings.Endpoint?.ToString() ?? string.Empty,
        };
        if (ProviderProbe.For(settings, clients.FindProvider(settings.Provider), clients.GetClientConfiguration(clientName)) is not { } probe)
        {
            return HealthCheckResult.Healthy($"The configuration is valid; '{settings.Provider}' has no endpoint to probe.", data);
        }

        data["probe"] = probe.Uri.ToString();
        using var http = httpClients.CreateClient(ConfiguredChatClients.HttpClientName(clientName));
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = probe.CreateRequest();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token).ConfigureAwait(false);
            data["httpStatus"] = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{settings.Provider} refused the API key ({(int)response.StatusCode}).", data: data);
            }

            if (!response.IsSuccessStatusCode)
            {
                if (probe.RefusesKey is { } refusesKey && refusesKey((int)response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)))
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, $"{settings.Provider} refused the API key ({(int)response.StatusCode}).", data: data);
                }

                return HealthCheckResult.Degraded($"{settings.Provider} answered {(int)response.StatusCode} at {probe.Uri}.", data: data);
            }

            if (probe.CheckBody is { } checkBody
                && checkBody(await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)) is { } degraded)
            {
                return HealthCheckResult.Degraded(degraded, data: data);
            }

            return HealthCheckResult.Healthy($"{settings.Provider} is reachable and accepts the key.", data);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{settings.Provider} did not answer within {timeout.TotalSeconds:0.#} s at {probe.Uri}.", data: data);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{settings.Provider} cannot be reached at {probe.Uri}: {SecretRedactor.Redact(ex.Message)}", data: data);
        }
    }

    /// <summary>Creates the check of a client from the services.</summary>
    internal static ChatClientHealthCheck Create(IServiceProvider services, string clientName, TimeSpan timeout) =>
        new(clientName, services.GetRequiredService<ConfiguredChatClients>(), services.GetRequiredService<IHttpClientFactory>(), timeout);
}
