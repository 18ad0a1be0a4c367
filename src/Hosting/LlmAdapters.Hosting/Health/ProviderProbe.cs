// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// Hosting's default health probe, for a provider whose descriptor brings none (<see cref="IChatProviderFactory.CreateHealthProbe(ChatClientSettings, Microsoft.Extensions.Configuration.IConfiguration)"/>):
/// <c>GET {endpoint}/models</c> with a Bearer key, as OpenAI and compatible servers answer. The built-in descriptors of
/// Anthropic, Gemini, Ollama and DashScope bring their own.
/// </summary>
internal static class ProviderProbe
{
    /// <summary>The probe of a client's provider, or <see langword="null"/> when it has no endpoint.</summary>
    public static ChatProviderHealthProbe? For(ChatClientSettings settings, IChatProviderFactory? factory, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        if (settings.Endpoint is null)
        {
            return null;
        }

        if (factory?.CreateHealthProbe(settings, configuration) is { } own)
        {
            return own;
        }

        var key = settings.ApiKey ?? (settings.ApiKeys.Count > 0 ? settings.ApiKeys[0] : null);
        var models = new Uri(settings.Endpoint.ToString().TrimEnd('/') + "/models");
        return new ChatProviderHealthProbe(models, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, models);
            if (!string.IsNullOrEmpty(key))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            }

            return request;
        });
    }
}
