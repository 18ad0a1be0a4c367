// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Hosting;

/// <summary>
/// The cheapest request that tells whether a provider is reachable and accepts a key: OpenAI and compatible servers
/// <c>GET {endpoint}/models</c> (Bearer key), Anthropic <c>GET /v1/models</c> (<c>x-api-key</c>), Ollama
/// <c>GET /api/tags</c> (no key; the model must be among the pulled ones).
/// </summary>
internal sealed class ProviderProbe
{
    private const string AnthropicVersion = "2023-06-01";

    private readonly Func<HttpRequestMessage> _createRequest;

    private ProviderProbe(Uri uri, bool modelMustBeListed, Func<HttpRequestMessage> createRequest)
    {
        Uri = uri;
        ModelMustBeListed = modelMustBeListed;
        _createRequest = createRequest;
    }

    public Uri Uri { get; }

    public bool ModelMustBeListed { get; }

    public HttpRequestMessage CreateRequest() => _createRequest();

    /// <summary>The probe of a client's provider, or <see langword="null"/> when it has no endpoint.</summary>
    public static ProviderProbe? For(ChatClientSettings settings)
    {
        if (settings.Endpoint is not { } endpoint)
        {
            return null;
        }

        var key = settings.ApiKey ?? (settings.ApiKeys.Count > 0 ? settings.ApiKeys[0] : null);
        var baseText = endpoint.ToString().TrimEnd('/');
        if (string.Equals(settings.Provider, "anthropic", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(baseText + "/v1/models");
            return new ProviderProbe(uri, modelMustBeListed: false, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.TryAddWithoutValidation("x-api-key", key);
                request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
                return request;
            });
        }

        if (string.Equals(settings.Provider, "ollama", StringComparison.OrdinalIgnoreCase))
        {
            // Ollama's OpenAI-compatible endpoint is {server}/v1; its own API is at the server's root.
            var server = baseText.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? baseText[..^3] : baseText;
            var uri = new Uri(server + "/api/tags");
            return new ProviderProbe(uri, modelMustBeListed: true, () => new HttpRequestMessage(HttpMethod.Get, uri));
        }

        var models = new Uri(baseText + "/models");
        return new ProviderProbe(models, modelMustBeListed: false, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, models);
            if (!string.IsNullOrEmpty(key))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            }

            return request;
        });
    }

    /// <summary>Whether Ollama's <c>/api/tags</c> lists a model (<c>llama3.2</c> matches <c>llama3.2:latest</c>).</summary>
    public static bool ListsOllamaModel(string tagsJson, string model)
    {
        using var document = JsonDocument.Parse(tagsJson);
        if (!document.RootElement.TryGetProperty("models", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var wanted = model.Contains(':', StringComparison.Ordinal) ? model : model + ":latest";
        foreach (var entry in list.EnumerateArray())
        {
            var name = entry.TryGetProperty("name", out var n) ? n.GetString() : null;
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
