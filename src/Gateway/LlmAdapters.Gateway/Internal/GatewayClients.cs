// Licensed under the MIT License.

using System.Collections.Concurrent;
using LlmAdapters.Cost;
using LlmAdapters.Hosting;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Gateway;

/// <summary>
/// The clients the gateway serves: a request's <c>model</c> names a configured client (or an alias of one), and each
/// virtual key gets that client's whole configured pipeline wrapped in the key's own <c>RateLimit</c> and <c>Budget</c>
/// stages, read from <c>Gateway:Keys:{name}</c> by the pipeline's own stages (so the keys are the pipeline's, and with
/// <c>AI:Redis</c> the stores are the shared ones). One wrapper per key and client, built on first use.
/// </summary>
internal sealed class GatewayClients
{
    private readonly ConfiguredChatClients _clients;
    private readonly GatewayOptions _options;
    private readonly IServiceProvider _services;
    private readonly BudgetChatPipelineStage _budget;
    private readonly RateLimitingChatPipelineStage _rateLimit;
    private readonly ConcurrentDictionary<(string Key, string Client), IChatClient> _wrapped = new();

    public GatewayClients(ConfiguredChatClients clients, GatewayOptions options, IServiceProvider services)
    {
        _clients = clients;
        _options = options;
        _services = services;
        var stages = services.GetServices<IChatPipelineStage>().ToList();
        _budget = stages.OfType<BudgetChatPipelineStage>().FirstOrDefault() ?? new BudgetChatPipelineStage();
        _rateLimit = stages.OfType<RateLimitingChatPipelineStage>().FirstOrDefault() ?? new RateLimitingChatPipelineStage();
    }

    /// <summary>Gets the configured clients' names.</summary>
    public IReadOnlyList<string> Names => _clients.Names;

    /// <summary>Gets the aliases.</summary>
    public IReadOnlyDictionary<string, string> Aliases => _options.Aliases;

    /// <summary>Finds the configured client a model name stands for, or <see langword="null"/>.</summary>
    public string? Resolve(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        if (_options.Aliases.TryGetValue(model, out var aliased))
        {
            model = aliased;
        }

        foreach (var name in _clients.Names)
        {
            if (string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Gets the model names (clients and aliases) a key may use.</summary>
    public IEnumerable<string> ModelsFor(GatewayKey key)
    {
        foreach (var name in _clients.Names)
        {
            if (key.Allows(name))
            {
                yield return name;
            }
        }

        foreach (var (alias, target) in _options.Aliases)
        {
            if (Resolve(target) is { } client && key.Allows(client))
            {
                yield return alias;
            }
        }
    }

    /// <summary>Gets the model a configured client calls.</summary>
    public string? ModelOf(string client) => _clients.GetSettings(client).Model;

    /// <summary>Gets the provider of a configured client.</summary>
    public string ProviderOf(string client) => _clients.GetSettings(client).Provider;

    /// <summary>Gets the client that serves a key's calls to a configured client.</summary>
    public IChatClient Get(GatewayKey key, string client) =>
        _wrapped.GetOrAdd((key.Name, client), static (k, self) => self.Build(self.KeyByName(k.Key), k.Client), this);

    /// <summary>Reads every key's budget and limits against each client it may use, as the start-up check does.</summary>
    public List<string> Validate(IEnumerable<GatewayKey> keys)
    {
        var errors = new List<string>();
        foreach (var key in keys)
        {
            if (key.Clients is { } listed)
            {
                foreach (var name in listed.Where(n => Resolve(n) is null))
                {
                    errors.Add($"{key.Section.Path}:Clients names '{name}', which is not a configured client. Configured clients: {string.Join(", ", _clients.Names)}.");
                }
            }

            if (_clients.Names.FirstOrDefault(key.Allows) is { } client)
            {
                Contexts(key, client, out var budgetContext, out var limitContext);
                if (_budget.IsEnabled(budgetContext))
                {
                    _budget.Read(budgetContext, errors);
                }

                if (_rateLimit.IsEnabled(limitContext))
                {
                    _rateLimit.Read(limitContext, errors);
                }
            }
        }

        foreach (var (alias, target) in _options.Aliases)
        {
            if (Resolve(target) is null)
            {
                errors.Add($"Gateway:Aliases:{alias} names '{target}', which is not a configured client. Configured clients: {string.Join(", ", _clients.Names)}.");
            }
        }

        return errors;
    }

    private GatewayKey KeyByName(string name) => _options.Keys.First(k => k.Name == name);

    private IChatClient Build(GatewayKey key, string client)
    {
        var chat = _clients.GetClient(client);
        Contexts(key, client, out var budgetContext, out var limitContext);
        var errors = new List<string>();
        if (_budget.IsEnabled(budgetContext))
        {
            var options = _budget.Read(budgetContext, errors);

            // The key's budget counts every client the key uses, under the key's name: not the client's bucket.
            options.ClientName = ScopeName(key);
            chat = _budget.Apply(chat, budgetContext, options);
        }

        if (_rateLimit.IsEnabled(limitContext))
        {
            var options = _rateLimit.Read(limitContext, errors);

            // One limiter per key, whatever client it calls (and across processes when AI:Redis is set).
            options.SharedName = ScopeName(key);
            chat = _rateLimit.Apply(chat, limitContext, options);
        }

        return errors.Count == 0
            ? chat
            : throw new InvalidOperationException("The gateway key's configuration is not valid: " + string.Join(" ", errors));
    }

    private static string ScopeName(GatewayKey key) => "gateway-key:" + key.Name;

    private void Contexts(GatewayKey key, string client, out ChatPipelineContext budget, out ChatPipelineContext limit)
    {
        var settings = _clients.GetSettings(client);
        budget = new ChatPipelineContext(settings, key.Section, key.Section.GetSection("Budget"), _services, apiKey => _clients.CreateProviderClient(client, apiKey));
        limit = new ChatPipelineContext(settings, key.Section, key.Section.GetSection("RateLimit"), _services, apiKey => _clients.CreateProviderClient(client, apiKey));
    }
}
