// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// Every store of the pipeline's shared state on one Redis connection: what a host registers once and what each
/// configured client's stages take their state from (<c>Apply</c> methods).
/// </summary>
/// <remarks>Thread-safe. Registered as a singleton by <see cref="Microsoft.Extensions.DependencyInjection.RedisChatStateServiceCollectionExtensions.AddRedisChatState(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.</remarks>
internal sealed class RedisChatState : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="RedisChatState"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="budgets">The budget store.</param>
    /// <param name="ledger">The cost ledger.</param>
    /// <param name="rateLimits">The rate limit store.</param>
    /// <param name="cooldowns">The API key cool-down store.</param>
    /// <param name="cache">The response cache.</param>
    public RedisChatState(
        IConnectionMultiplexer connection,
        RedisStateOptions options,
        RedisBudgetStore budgets,
        RedisCostLedger ledger,
        RedisChatRateLimitStore rateLimits,
        RedisApiKeyCooldownStore cooldowns,
        IDistributedCache cache)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Budgets = budgets ?? throw new ArgumentNullException(nameof(budgets));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        RateLimits = rateLimits ?? throw new ArgumentNullException(nameof(rateLimits));
        Cooldowns = cooldowns ?? throw new ArgumentNullException(nameof(cooldowns));
        Cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <summary>Gets the shared connection.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>Gets the options.</summary>
    public RedisStateOptions Options { get; }

    /// <summary>Gets the budget store.</summary>
    public RedisBudgetStore Budgets { get; }

    /// <summary>Gets the cost ledger.</summary>
    public RedisCostLedger Ledger { get; }

    /// <summary>Gets the store of shared rate limits.</summary>
    public RedisChatRateLimitStore RateLimits { get; }

    /// <summary>Gets the store of API key cool-downs.</summary>
    public RedisApiKeyCooldownStore Cooldowns { get; }

    /// <summary>Gets the response cache (over Redis, with its failure policy).</summary>
    public IDistributedCache Cache { get; }

    /// <summary>Makes a budget share its spending through Redis.</summary>
    /// <param name="options">The budget's options.</param>
    /// <returns>The same options.</returns>
    public BudgetChatClientOptions Apply(BudgetChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Store = Budgets;
        return options;
    }

    /// <summary>Makes cost accounting record into the shared ledger.</summary>
    /// <param name="options">The cost accounting options.</param>
    /// <returns>The same options.</returns>
    public CostAccountingChatClientOptions Apply(CostAccountingChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Ledger = Ledger;
        return options;
    }

    /// <summary>Makes a client's rate limits shared by every process: under <see cref="RateLimitingChatClientOptions.SharedName"/> when set, else under the client's name.</summary>
    /// <param name="options">The rate limiting options.</param>
    /// <param name="clientName">The configured client's name.</param>
    /// <returns>The same options.</returns>
    public RateLimitingChatClientOptions Apply(RateLimitingChatClientOptions options, string clientName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        options.Store = RateLimits;
        options.SharedName ??= "client:" + clientName;
        return options;
    }

    /// <summary>Makes a client's API key cool-downs seen by every process.</summary>
    /// <param name="options">The key rotation options.</param>
    /// <param name="clientName">The configured client's name (the scope of its key positions).</param>
    /// <returns>The same options.</returns>
    public ApiKeyRotationChatClientOptions Apply(ApiKeyRotationChatClientOptions options, string clientName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        options.CooldownStore = Cooldowns;
        options.CooldownScope ??= clientName;
        return options;
    }

    /// <inheritdoc/>
    public void Dispose() => RateLimits.Dispose();
}
