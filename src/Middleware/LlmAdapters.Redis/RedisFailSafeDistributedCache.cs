// Licensed under the MIT License.

using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="IDistributedCache"/> over Redis that follows <see cref="RedisStateOptions.CacheFailure"/> while Redis
/// fails: by default a read is a miss and a write is skipped, so the provider is called (fail open); or this process's
/// memory is used; or the call is refused.
/// </summary>
/// <remarks>
/// Not disposable on purpose: disposing a <c>RedisCache</c> disposes its connection, which here is the application's
/// shared <c>IConnectionMultiplexer</c>.
/// </remarks>
internal sealed class RedisFailSafeDistributedCache : IDistributedCache
{
    private readonly IDistributedCache _redis;
    private readonly RedisOutage _outage;
    private readonly MemoryDistributedCache _local = new(Options.Create(new MemoryDistributedCacheOptions()));

    /// <summary>Initializes a new instance of the <see cref="RedisFailSafeDistributedCache"/> class.</summary>
    /// <param name="redis">The cache on Redis (Microsoft.Extensions.Caching.StackExchangeRedis).</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisFailSafeDistributedCache(IDistributedCache redis, RedisStateOptions options, ILogger<RedisFailSafeDistributedCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _outage = new RedisOutage("cache", options.CacheFailure, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc/>
    public byte[]? Get(string key)
    {
        try
        {
            var value = _redis.Get(key);
            _outage.Succeeded();
            return value;
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            return Failed(ex) ? _local.Get(key) : null;
        }
    }

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        try
        {
            var value = await _redis.GetAsync(key, token).ConfigureAwait(false);
            _outage.Succeeded();
            return value;
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            return Failed(ex) ? await _local.GetAsync(key, token).ConfigureAwait(false) : null;
        }
    }

    /// <inheritdoc/>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        try
        {
            _redis.Set(key, value, options);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            if (Failed(ex))
            {
                _local.Set(key, value, options);
            }
        }
    }

    /// <inheritdoc/>
    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        try
        {
            await _redis.SetAsync(key, value, options, token).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            if (Failed(ex))
            {
                await _local.SetAsync(key, value, options, token).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public void Refresh(string key)
    {
        try
        {
            _redis.Refresh(key);
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _ = Failed(ex);
        }
    }

    /// <inheritdoc/>
    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        try
        {
            await _redis.RefreshAsync(key, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _ = Failed(ex);
        }
    }

    /// <inheritdoc/>
    public void Remove(string key)
    {
        _local.Remove(key);
        try
        {
            _redis.Remove(key);
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _ = Failed(ex);
        }
    }

    /// <inheritdoc/>
    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await _local.RemoveAsync(key, token).ConfigureAwait(false);
        try
        {
            await _redis.RemoveAsync(key, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _ = Failed(ex);
        }
    }

    /// <summary>Applies the policy: <see langword="true"/> to use the local memory, <see langword="false"/> for a miss.</summary>
    private bool Failed(Exception ex)
    {
        _outage.Failed(ex);
        return _outage.Policy switch
        {
            RedisFailurePolicy.FailClosed => throw _outage.Unavailable("the response cache cannot be read and the call is refused", ex),
            RedisFailurePolicy.FallBackToLocal => true,
            _ => false,
        };
    }
}
