// Licensed under the MIT License.

using LlmAdapters.Cost;
using LlmAdapters.Redis;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the pipeline's shared state on Redis.</summary>
public static class RedisChatStateServiceCollectionExtensions
{
    /// <summary>
    /// Registers the shared state on Redis for configured chat clients: when <c>AddConfiguredChatClients</c> reads its section
    /// (before or after this call), <c>AI:Redis</c> is read as <see cref="AddRedisChatState(IServiceCollection, IConfiguration)"/>
    /// reads it; without <c>AI:Redis:Configuration</c> nothing is registered and all state stays in the process.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRedisChatState(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(RedisChatStateRegistration)))
        {
            services.AddSingleton(new RedisChatStateRegistration());
            services.AddChatClientsSectionRegistration((s, section) => s.AddRedisChatState(section.GetSection("Redis")));
        }

        return services;
    }

    /// <summary>
    /// Registers the shared state on Redis when <c>Configuration</c> is set in the section (<c>AI:Redis</c>): one
    /// <see cref="IConnectionMultiplexer"/> (a registered one is reused), and as services the <see cref="IBudgetStore"/>,
    /// <see cref="ICostLedger"/> (a <see cref="RedisCostLedger"/>), <see cref="IChatRateLimitStore"/>,
    /// <see cref="IApiKeyCooldownStore"/>, <see cref="IChatRoutingStore"/> and <see cref="IDistributedCache"/> (unless one is registered). Without
    /// <c>Configuration</c> nothing is registered and everything stays in process.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section, e.g. <c>AI:Redis</c>.</param>
    /// <returns><see langword="true"/> when Redis is configured.</returns>
    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static bool AddRedisChatState(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        var options = new RedisStateOptions();
        RedisStateOptions.ThrowOnUnknownKeys(section);
        options.Bind(section);
        if (options.Configuration is null && section is IConfigurationSection { Value: { Length: > 0 } inline })
        {
            options.Configuration = inline;
        }

        if (options.Configuration is null && !services.Any(d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            return false;
        }

        var key = (section as IConfigurationSection)?.Path is { Length: > 0 } path ? path + ":" + RedisStateOptions.ConfigurationKey : "Redis:" + RedisStateOptions.ConfigurationKey;
        if (options.Configuration is not null)
        {
            _ = RedisConnection.Parse(options.Configuration, key);
        }

        AddRedisChatState(services, options, key);
        return true;
    }

    /// <summary>Registers the shared state on Redis with the given options (see the overload over configuration).</summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options; <see cref="RedisStateOptions.Configuration"/> is used when no <see cref="IConnectionMultiplexer"/> is registered.</param>
    /// <param name="configurationKey">The configuration key named in connection errors.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddRedisChatState(this IServiceCollection services, RedisStateOptions options, string configurationKey = "AI:Redis:Configuration")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton<IConnectionMultiplexer>(_ => RedisConnection.Connect(options.Configuration, configurationKey));
        services.AddOptions<RedisConnectionCheck>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisConnectionCheck>, RedisConnectionCheck.Validator>());
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new RedisBudgetStore(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<ILogger<RedisBudgetStore>>()));
        services.TryAddSingleton(sp => new RedisCostLedger(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<ILogger<RedisCostLedger>>()));
        services.TryAddSingleton(sp => new RedisChatRateLimitStore(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<ILogger<RedisChatRateLimitStore>>()));
        services.TryAddSingleton(sp => new RedisApiKeyCooldownStore(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<ILogger<RedisApiKeyCooldownStore>>()));
        services.TryAddSingleton(sp => new RedisChatRoutingStore(sp.GetRequiredService<IConnectionMultiplexer>(), options, sp.GetService<ILogger<RedisChatRoutingStore>>()));
        services.TryAddSingleton(sp => new RedisFailSafeDistributedCache(
            new RedisCache(new RedisCacheOptions
            {
                InstanceName = options.KeyPrefix + "cache:",
                ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
            }),
            options,
            sp.GetService<ILogger<RedisFailSafeDistributedCache>>()));
        services.Replace(ServiceDescriptor.Singleton<IBudgetStore>(sp => sp.GetRequiredService<RedisBudgetStore>()));
        services.Replace(ServiceDescriptor.Singleton<ICostLedger>(sp => sp.GetRequiredService<RedisCostLedger>()));
        services.TryAddSingleton<IChatRateLimitStore>(sp => sp.GetRequiredService<RedisChatRateLimitStore>());
        services.TryAddSingleton<IApiKeyCooldownStore>(sp => sp.GetRequiredService<RedisApiKeyCooldownStore>());
        services.TryAddSingleton<IChatRoutingStore>(sp => sp.GetRequiredService<RedisChatRoutingStore>());
        services.TryAddSingleton<IDistributedCache>(sp => sp.GetRequiredService<RedisFailSafeDistributedCache>());
        services.TryAddSingleton(sp => new RedisChatState(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            options,
            sp.GetRequiredService<RedisBudgetStore>(),
            sp.GetRequiredService<RedisCostLedger>(),
            sp.GetRequiredService<RedisChatRateLimitStore>(),
            sp.GetRequiredService<RedisApiKeyCooldownStore>(),
            sp.GetRequiredService<RedisFailSafeDistributedCache>()));
        return services;
    }

    /// <summary>Marks that the section-driven registration was added, so that a second call adds nothing.</summary>
    private sealed class RedisChatStateRegistration;
}
