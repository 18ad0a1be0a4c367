// Licensed under the MIT License.

using LlmAdapters.Hosting;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Ollama;

/// <summary>
/// The <c>ollama</c> provider: Ollama's native chat API through <see cref="OllamaChatClient"/>. No key is needed; one that is
/// configured (or in <c>OLLAMA_API_KEY</c>) is sent as a Bearer token, for proxies and Ollama's hosted API. Provider-specific
/// keys: <c>KeepAlive</c> (<c>keep_alive</c>, e.g. <c>10m</c>) and <c>ContextLength</c> (<c>options.num_ctx</c>).
/// The OpenAI-compatible <c>/v1</c> API, which this name meant before, is the provider <c>ollama-openai</c>.
/// Registered by <c>services.AddOllamaChatProvider()</c> (the <c>LlmAdapters</c> package registers it with every other built-in).
/// </summary>
public sealed class OllamaChatProviderFactory()
    : NativeChatProviderFactory<OllamaChatClientOptions>(ProviderName, requiresApiKey: false, OllamaChatClientOptions.DefaultEndpoint, defaultModel: null, ["OLLAMA_API_KEY"], KeepAliveKey, ContextLengthKey)
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "ollama";

    /// <summary>The configuration key of <see cref="OllamaChatClientOptions.KeepAlive"/>.</summary>
    internal const string KeepAliveKey = "KeepAlive";

    /// <summary>The configuration key of <see cref="OllamaChatClientOptions.ContextLength"/>.</summary>
    internal const string ContextLengthKey = "ContextLength";

    /// <inheritdoc/>
    public override IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(pathOf);
        var errors = new List<string>(base.ValidateConfiguration(configuration, pathOf));
        _ = ReadKeys(configuration, pathOf, errors);

        // The endpoint shape the native API refuses, checked at start-up instead of when the client is first created (issue 20, N9).
        if (configuration["Endpoint"] is { } endpoint && endpoint.Trim().TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{pathOf("Endpoint")} is '{endpoint}', Ollama's OpenAI-compatible API (/v1): the 'ollama' provider speaks Ollama's native API. " +
                "Set the endpoint without /v1 (e.g. http://localhost:11434), or use the provider 'ollama-openai'.");
        }

        return errors;
    }

    /// <inheritdoc/>
    /// <remarks>Ollama's list of pulled models, <c>GET /api/tags</c> (no key): Degraded when the client's model is not among them.</remarks>
    public override ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = settings.Model;
        return CreateGetProbe(
            settings,
            static endpoint => endpoint.ToString().TrimEnd('/') + "/api/tags",
            authorize: null,
            checkBody: body => model is null || ListsModel(body, model) ? null : $"{ProviderName} is reachable but has not pulled '{model}' (ollama pull {model}).");
    }

    /// <summary>Whether Ollama's <c>/api/tags</c> lists a model (<c>llama3.2</c> matches <c>llama3.2:latest</c>).</summary>
    internal static bool ListsModel(string tagsJson, string model)
    {
        using var document = System.Text.Json.JsonDocument.Parse(tagsJson);
        if (!document.RootElement.TryGetProperty("models", out var list) || list.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return false;
        }

        var wanted = model.Contains(':', StringComparison.Ordinal) ? model : model + ":latest";
        foreach (var entry in list.EnumerateArray())
        {
            var name = entry.ValueKind == System.Text.Json.JsonValueKind.Object && entry.TryGetProperty("name", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase) || string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    protected override void Configure(OllamaChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var keys = ReadKeys(context.Configuration, pathOf: null, errors: null);
        if (keys.KeepAlive is { } keepAlive)
        {
            options.KeepAlive = keepAlive;
        }

        if (keys.ContextLength is { } contextLength)
        {
            options.ContextLength = contextLength;
        }
    }

    /// <summary>Reads the provider-specific keys once, typed (see <see cref="ValidateConfiguration"/>); without <paramref name="errors"/> a bad value throws.</summary>
    private static (string? KeepAlive, int? ContextLength) ReadKeys(IConfiguration configuration, Func<string, string>? pathOf, List<string>? errors)
    {
        var keepAlive = configuration[KeepAliveKey] is { Length: > 0 } text ? text.Trim() : null;
        var contextPath = pathOf?.Invoke(ContextLengthKey);
        var section = contextPath is not null && contextPath.EndsWith(":" + ContextLengthKey, StringComparison.OrdinalIgnoreCase) ? contextPath[..^(ContextLengthKey.Length + 1)] : null;
        return (keepAlive, ConfigurationReader.GetInt32(configuration, ContextLengthKey, 1, errors, section));
    }

    /// <inheritdoc/>
    protected override IChatClient CreateClient(OllamaChatClientOptions options, ChatProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new OllamaChatClient(options, context.HttpClient);
    }
}
