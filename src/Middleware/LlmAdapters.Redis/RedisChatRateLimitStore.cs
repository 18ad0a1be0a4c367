// Licensed under the MIT License.

using System.Collections.Concurrent;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="IChatRateLimitStore"/> on Redis: requests and tokens per window on sliding-window logs (sorted sets
/// scored by the Redis server's clock), and concurrency slots as leases that expire unless their process renews them.
/// Each acquisition is one Lua script, all or nothing, so every process that names the same limiter shares its limits.
/// </summary>
/// <remarks>
/// <para>Unused estimated tokens are given back when the call ends (the entry is rewritten with the real total). A slot of
/// a process that died is free again after <see cref="RedisStateOptions.LeaseTimeout"/>; live processes renew theirs
/// every third of it.</para>
/// <para>While Redis fails the store follows <see cref="RedisStateOptions.RateLimitFailure"/>: by default it throws, and
/// the <see cref="ChatRateLimiter"/> applies its limits in process.</para>
/// </remarks>
internal sealed class RedisChatRateLimitStore : IChatRateLimitStore, IDisposable
{
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window, rpm, tpm, conc = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local id, tokens, ttl = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
        local wait = 0
        if rpm > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
          local count = redis.call('ZCARD', KEYS[1])
          if count >= rpm then
            local e = redis.call('ZRANGE', KEYS[1], count - rpm, count - rpm, 'WITHSCORES')
            wait = math.max(wait, tonumber(e[2]) + window - now + 1)
          end
        end
        if tpm > 0 then
          local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - window)
          for _, m in ipairs(old) do redis.call('HDEL', KEYS[3], m) end
          if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window) end
          local used = 0
          for _, v in ipairs(redis.call('HVALS', KEYS[3])) do used = used + tonumber(v) end
          if used > 0 and used + tokens > tpm then
            local entries = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
            local freed, w = 0, window
            for i = 1, #entries, 2 do
              freed = freed + tonumber(redis.call('HGET', KEYS[3], entries[i]) or '0')
              if used - freed + tokens <= tpm then
                w = tonumber(entries[i + 1]) + window - now + 1
                break
              end
            end
            wait = math.max(wait, w)
          end
        end
        if conc > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
          if redis.call('ZCARD', KEYS[4]) >= conc then wait = math.max(wait, 25) end
        end
        if wait > 0 then return wait end
        if rpm > 0 then
          redis.call('ZADD', KEYS[1], now, id)
          redis.call('PEXPIRE', KEYS[1], window)
        end
        if tpm > 0 and tokens > 0 then
          redis.call('ZADD', KEYS[2], now, id)
          redis.call('HSET', KEYS[3], id, tokens)
          redis.call('PEXPIRE', KEYS[2], window)
          redis.call('PEXPIRE', KEYS[3], window)
        end
        if conc > 0 then
          redis.call('ZADD', KEYS[4], now + ttl, id)
          redis.call('PEXPIRE', KEYS[4], ttl)
        end
        return 0
        """;

    private const string ReleaseScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local id, used, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
        redis.call('ZREM', KEYS[3], id)
        if ARGV[4] == '1' then
          if redis.call('HEXISTS', KEYS[2], id) == 1 then
            redis.call('HSET', KEYS[2], id, used)
          elseif used > 0 then
            redis.call('ZADD', KEYS[1], now, id)
            redis.call('HSET', KEYS[2], id, used)
            redis.call('PEXPIRE', KEYS[1], window)
            redis.call('PEXPIRE', KEYS[2], window)
          end
        end
        return 0
        """;

    private const string RenewScript = """
        local t = redis.call('TIME')
        local expiry = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
        for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i]) end
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
        return 0
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly RedisOutage _outage;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _leases = new(StringComparer.Ordinal);
    private readonly ITimer _renewal;

    /// <summary>Initializes a new instance of the <see cref="RedisChatRateLimitStore"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisChatRateLimitStore(IConnectionMultiplexer connection, RedisStateOptions options, ILogger<RedisChatRateLimitStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _outage = new RedisOutage("ratelimit", options.RateLimitFailure, (ILogger?)logger ?? NullLogger.Instance);
        var period = options.LeaseTimeout / 3;
        _renewal = options.TimeProvider.CreateTimer(static state => _ = ((RedisChatRateLimitStore)state!).RenewAsync(), this, period, period);
    }

    /// <inheritdoc/>
    public async ValueTask<TimeSpan> TryAcquireAsync(string name, ChatRateLimiter limiter, string leaseId, int tokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseId);
        cancellationToken.ThrowIfCancellationRequested();
        var keys = Keys(name);
        try
        {
            var wait = (long)await _connection.GetDatabase().ScriptEvaluateAsync(
                AcquireScript,
                [keys.Requests, keys.Tokens, keys.TokenCounts, keys.Slots],
                [
                    (long)_options.RateLimitWindow.TotalMilliseconds, limiter.RequestsPerMinute ?? 0, limiter.TokensPerMinute ?? 0,
                    limiter.MaxConcurrency ?? 0, leaseId, Math.Max(tokens, 0), (long)_options.LeaseTimeout.TotalMilliseconds,
                ]).ConfigureAwait(false);
            _outage.Succeeded();
            if (wait == 0 && limiter.MaxConcurrency is not null)
            {
                _leases.GetOrAdd(keys.Slots, static _ => new(StringComparer.Ordinal))[leaseId] = 0;
            }

            return TimeSpan.FromMilliseconds(wait);
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
            return _options.RateLimitFailure switch
            {
                RedisFailurePolicy.FailOpen => TimeSpan.Zero,
                RedisFailurePolicy.FailClosed => throw _outage.Unavailable("the shared rate limits cannot be checked and the call is refused", ex),
                _ => throw new InvalidOperationException("The shared rate limiter on Redis is unreachable; the limits apply in this process.", ex),
            };
        }
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(string name, ChatRateLimiter limiter, string leaseId, int reservedTokens, int usedTokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(limiter);
        var keys = Keys(name);
        if (_leases.TryGetValue(keys.Slots, out var live))
        {
            live.TryRemove(leaseId, out _);
        }

        try
        {
            await _connection.GetDatabase().ScriptEvaluateAsync(
                ReleaseScript,
                [keys.Tokens, keys.TokenCounts, keys.Slots],
                [leaseId, Math.Max(usedTokens, 0), (long)_options.RateLimitWindow.TotalMilliseconds, limiter.TokensPerMinute is null ? "0" : "1"]).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            // The slot expires after the lease timeout and the tokens after the window.
            _outage.Failed(ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _renewal.Dispose();

    private (string Requests, string Tokens, string TokenCounts, string Slots) Keys(string name)
    {
        var root = _options.KeyPrefix + "ratelimit:{" + name + "}:";
        return (root + "requests", root + "tokens", root + "tokencounts", root + "slots");
    }

    private async Task RenewAsync()
    {
        foreach (var (key, live) in _leases)
        {
            var ids = live.Keys.ToArray();
            if (ids.Length == 0)
            {
                continue;
            }

            try
            {
                RedisValue[] args = [(long)_options.LeaseTimeout.TotalMilliseconds, .. ids.Select(id => (RedisValue)id)];
                await _connection.GetDatabase().ScriptEvaluateAsync(RenewScript, [key], args).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
            {
                _outage.Failed(ex);
            }
        }
    }
}
