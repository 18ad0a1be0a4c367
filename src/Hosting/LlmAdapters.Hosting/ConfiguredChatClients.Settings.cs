// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

// Settings resolution: a client's keys into its <see cref="ChatClientSettings"/>, and the check of its own keys.
public sealed partial class ConfiguredChatClients
{
    /// <summary>The keys every client may set, whatever its provider (the provider adds its own, <see cref="IChatProviderFactory.ConfigurationKeys"/>).</summary>
    private static readonly string[] s_clientKeys =
        ["Provider", "Model", "Endpoint", "ApiKey", "SystemPrompt", "Temperature", "MaxOutputTokens", "NetworkTimeout", "Pipeline", "Pricing"];

    /// <summary>A client key that is neither common nor the provider's own is a typo (<c>Modle</c>) that would silently do nothing.</summary>
    private void ValidateClientKeys(string client, IConfiguration configuration, IChatProviderFactory factory, List<string> errors)
    {
        var known = s_clientKeys.Concat(factory.ConfigurationKeys).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        foreach (var child in configuration.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(ConfigurationKeyUsage.UnknownKeyMessage(_configuration.KeyPath(client, child.Key), child.Key, known));
            }
        }

        // The provider's own keys are the provider's to read: their values are checked by its descriptor.
        errors.AddRange(factory.ValidateConfiguration(configuration, key => _configuration.KeyPath(client, key)));
    }

    /// <summary>Resolves a client's settings from its view of the configuration (read once, for its plan).</summary>
    /// <param name="name">The client name.</param>
    /// <param name="configuration">The client's view of the configuration.</param>
    /// <param name="errors">Collects the problems found.</param>
    /// <param name="factory">The provider's descriptor, when found.</param>
    /// <param name="providerDefaultEndpoint">The provider's default endpoint, when the settings took it (no endpoint configured).</param>
    /// <returns>The settings, or <see langword="null"/> when they have errors.</returns>
    private ChatClientSettings? ResolveSettings(string name, IConfiguration configuration, List<string> errors, out IChatProviderFactory? factory, out Uri? providerDefaultEndpoint)
    {
        factory = null;
        providerDefaultEndpoint = null;
        string PathOf(string key) => _configuration.KeyPath(name, key);
        var start = errors.Count;
        var connection = ReadConnectionString(name, errors);
        string? Value(string key, string connectionKey) =>
            connection is not null && connection.TryGetValue(connectionKey, out var value) && !string.IsNullOrWhiteSpace(value) ? value : configuration[key];
        string SourceOf(string key, string connectionKey) =>
            connection?.ContainsKey(connectionKey) == true ? $"ConnectionStrings:{name} ({connectionKey})" : PathOf(key);

        var provider = Value("Provider", "Provider");
        if (string.IsNullOrWhiteSpace(provider))
        {
            errors.Add($"{PathOf("Provider")} is not set. Set it to one of: {string.Join(", ", ProviderNames)}.");
            return null;
        }

        var matches = Providers.Where(p => string.Equals(p.Name, provider.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        factory = matches.LastOrDefault(p => p is not PackageChatProviderFactory) ?? matches.LastOrDefault();
        if (factory is null)
        {
            errors.Add($"{PathOf("Provider")} is '{provider}', which is not a known provider. Known providers: {string.Join(", ", ProviderNames)}. Add another with services.AddChatProvider(...).");
            return null;
        }

        var model = Value("Model", "Model");
        if (string.IsNullOrWhiteSpace(model))
        {
            model = factory.DefaultModel;
            if (model is null)
            {
                errors.Add($"{PathOf("Model")} is not set, and the '{factory.Name}' provider has no default model: name the model to use.");
            }
        }

        Uri? endpoint = factory.DefaultEndpoint;
        var endpointText = Value("Endpoint", "Endpoint");
        if (!string.IsNullOrWhiteSpace(endpointText))
        {
            if (Uri.TryCreate(endpointText, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                endpoint = parsed;
            }
            else
            {
                errors.Add($"{SourceOf("Endpoint", "Endpoint")} is '{endpointText}', which is not an absolute http or https URL.");
            }
        }
        else if (endpoint is null)
        {
            errors.Add($"{PathOf("Endpoint")} is not set, and the '{factory.Name}' provider has no default endpoint: give the server's base URL.");
        }
        else
        {
            providerDefaultEndpoint = endpoint;
        }

        var apiKeys = ConfigurationReader.GetList(configuration, "Pipeline:ApiKeys");
        var apiKey = Value("ApiKey", "Key");
        var apiKeySource = SourceOf("ApiKey", "Key");
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = apiKeys.Count > 0 ? apiKeys[0] : null;
            apiKeySource = _configuration.KeyPath(name, "Pipeline:ApiKeys:0");
            foreach (var variable in factory.ApiKeyEnvironmentVariables)
            {
                if (!string.IsNullOrWhiteSpace(apiKey))
                {
                    break;
                }

                apiKey = _options.GetEnvironmentVariable(variable);
                apiKeySource = $"the environment variable {variable}";
            }
        }

        // A key a header cannot carry (a pasted line break, a control or non-ASCII character) is refused here, naming
        // where it came from and never printing it, instead of failing every call as an outage.
        if (ApiKeyRules.GetProblem(apiKey) is { } keyProblem)
        {
            errors.Add($"The API key in {apiKeySource} {keyProblem}. The key is not shown.");
        }

        // The rotation keys of Pipeline:ApiKeys are the ApiKeys stage's to check, each with its own path (issue 20, N9;
        // issue 25): the first is checked here when it is the client's key.

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = null;
            if (factory.RequiresApiKey)
            {
                var variable = factory.ApiKeyEnvironmentVariables switch
                {
                    [] => string.Empty,
                    [var only] => $" and the environment variable {only} is empty",
                    var several => $" and the environment variables {string.Join(" and ", several)} are empty",
                };
                errors.Add($"{PathOf("ApiKey")} is not set{variable}: the '{factory.Name}' provider needs an API key.");
            }
        }

        var temperature = ConfigurationReader.GetDouble(configuration, "Temperature", 0, 2, errors, _configuration.KeyParentPath(name, "Temperature"));
        var maxOutputTokens = ConfigurationReader.GetInt32(configuration, "MaxOutputTokens", 1, errors, _configuration.KeyParentPath(name, "MaxOutputTokens"));
        var networkTimeout = ConfigurationReader.GetDuration(configuration, "NetworkTimeout", errors, _configuration.KeyParentPath(name, "NetworkTimeout"));
        if (errors.Count > start)
        {
            return null;
        }

        var read = new ChatClientSettings
        {
            Name = name,
            Provider = factory.Name,
            Model = model,
            Endpoint = endpoint,
            ApiKey = apiKey,
            ApiKeys = apiKeys,
            SystemPrompt = configuration["SystemPrompt"],
            Temperature = (float?)temperature,
            MaxOutputTokens = maxOutputTokens,
            NetworkTimeout = networkTimeout ?? TimeSpan.FromMinutes(10),
        };
        var settings = _options.ApplySettingsConfigurations(read, out var applied);
        return applied == 0 || CheckConfiguredSettings(read, settings, factory, errors) ? settings : null;
    }

    /// <summary>
    /// What code changed in a client's settings (<see cref="ConfiguredChatClientsOptions.ConfigureSettings"/>) is checked
    /// as configuration is: each message names the client and the setting, and never prints a key.
    /// </summary>
    private static bool CheckConfiguredSettings(ChatClientSettings read, ChatClientSettings settings, IChatProviderFactory factory, List<string> errors)
    {
        var start = errors.Count;
        var source = $"the ConfigureSettings delegate of the client '{read.Name}'";
        if (!string.Equals(settings.Name, read.Name, StringComparison.Ordinal) || !string.Equals(settings.Provider, read.Provider, StringComparison.Ordinal))
        {
            errors.Add($"{source} changed its Name or Provider ('{read.Name}', '{read.Provider}'): those come from configuration; change the configuration instead.");
        }

        if (string.IsNullOrWhiteSpace(settings.Model))
        {
            errors.Add($"{source} left the client with no Model.");
        }

        if (settings.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{source} set an Endpoint that is not an absolute http or https URL.");
        }

        foreach (var key in settings.ApiKeys.Prepend(settings.ApiKey))
        {
            if (ApiKeyRules.GetProblem(key) is { } keyProblem)
            {
                errors.Add($"The API key set by {source} {keyProblem}. The key is not shown.");
            }
        }

        if (factory.RequiresApiKey && string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            errors.Add($"{source} left the client with no ApiKey: the '{factory.Name}' provider needs an API key.");
        }

        if (settings.Temperature is < 0 or > 2)
        {
            errors.Add($"{source} set Temperature to {settings.Temperature}: it must be from 0 to 2.");
        }

        if (settings.MaxOutputTokens is < 1)
        {
            errors.Add($"{source} set MaxOutputTokens to {settings.MaxOutputTokens}: it must be at least 1.");
        }

        if (settings.NetworkTimeout <= TimeSpan.Zero && settings.NetworkTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"{source} set NetworkTimeout to {settings.NetworkTimeout}: it must be positive.");
        }

        return errors.Count == start;
    }
}
