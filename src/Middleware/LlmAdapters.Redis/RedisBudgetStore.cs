// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LlmAdapters.Cost;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="IBudgetStore"/> on Redis, shared by every process that uses the same server and key prefix. Reserve,
/// settle and release each run as one Lua script, so concurrent processes never overspend: a reservation is granted only
/// when spent plus reserved plus its amount fits the limit. Amounts are kept as whole nano-dollars.
/// </summary>
/// <remarks>
/// <para>Each bucket (limit, scope, period) is one hash and two sorted sets whose keys expire when the period ends plus
/// <see cref="RedisStateOptions.ReservationTimeout"/> (a rolling window: one window plus that timeout after the last
/// write). A reservation that is neither settled nor released (its process died) stops counting after
/// <see cref="RedisStateOptions.ReservationTimeout"/>. Expiries run on the Redis server's clock.</para>
/// <para>While Redis fails the store follows <see cref="RedisStateOptions.BudgetFailure"/>. A settlement that cannot be
/// written is logged and dropped: its reservation then expires, and that call's spending is not counted.</para>
/// </remarks>
internal sealed class RedisBudgetStore : IBudgetStore
{
    private const decimal NanosPerDollar = 1_000_000_000m;

    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local op, id = ARGV[1], ARGV[2]
        local amount, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
        local timeout, window, expireAt = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
        local function drop(zkey, prefix, upto, counter)
          local ids = redis.call('ZRANGEBYSCORE', zkey, '-inf', upto)
          for _, m in ipairs(ids) do
            local v = redis.call('HGET', KEYS[1], prefix .. m)
            if v then
              redis.call('HINCRBY', KEYS[1], counter, -tonumber(v))
              redis.call('HDEL', KEYS[1], prefix .. m)
            end
          end
          if #ids > 0 then redis.call('ZREMRANGEBYSCORE', zkey, '-inf', upto) end
        end
        drop(KEYS[2], 'r:', now, 'reserved')
        if window > 0 then drop(KEYS[3], 's:', now - window, 'spent') end
        local spent = tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')
        local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
        local function unreserve()
          local v = redis.call('HGET', KEYS[1], 'r:' .. id)
          if v then
            redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(v))
            redis.call('HDEL', KEYS[1], 'r:' .. id)
            redis.call('ZREM', KEYS[2], id)
          end
        end
        local granted = 0
        if op == 'reserve' then
          if spent + reserved + amount <= limit then
            redis.call('HSET', KEYS[1], 'r:' .. id, amount)
            redis.call('HINCRBY', KEYS[1], 'reserved', amount)
            redis.call('ZADD', KEYS[2], now + timeout, id)
            granted = 1
          end
        elseif op == 'settle' then
          unreserve()
          redis.call('HINCRBY', KEYS[1], 'spent', amount)
          if window > 0 then
            redis.call('HSET', KEYS[1], 's:' .. id, amount)
            redis.call('ZADD', KEYS[3], now, id)
          end
        elseif op == 'release' then
          unreserve()
        end
        if op ~= 'usage' then
          for i = 1, 3 do
            if window > 0 then redis.call('PEXPIRE', KEYS[i], window + timeout) else redis.call('PEXPIREAT', KEYS[i], expireAt) end
          end
        end
        return { granted, spent, reserved }
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly RedisOutage _outage;
    private readonly InMemoryBudgetStore _local;

    /// <summary>Initializes a new instance of the <see cref="RedisBudgetStore"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisBudgetStore(IConnectionMultiplexer connection, RedisStateOptions options, ILogger<RedisBudgetStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _outage = new RedisOutage("budget", options.BudgetFailure, (ILogger?)logger ?? NullLogger.Instance);
        _local = new InMemoryBudgetStore(options.TimeProvider) { ReservationTimeout = options.ReservationTimeout };
    }

    /// <inheritdoc/>
    public async ValueTask<BudgetReservation> TryReserveAsync(BudgetLimit limit, string scopeKey, decimal amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        cancellationToken.ThrowIfCancellationRequested();
        var (key, resetsAt) = Bucket(limit, scopeKey);
        var id = Guid.NewGuid().ToString("N");
        try
        {
            var (granted, usage) = await RunAsync("reserve", key, resetsAt, limit, id, ToNanos(amount, up: true)).ConfigureAwait(false);
            _outage.Succeeded();
            return new BudgetReservation { IsGranted = granted, Id = id, Limit = limit, ScopeKey = scopeKey, BucketKey = key, Amount = amount, Usage = usage };
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
            return _options.BudgetFailure switch
            {
                RedisFailurePolicy.FallBackToLocal => Local(await _local.TryReserveAsync(limit, scopeKey, amount, cancellationToken).ConfigureAwait(false)),
                RedisFailurePolicy.FailOpen => new BudgetReservation
                {
                    IsGranted = true, Id = "open:" + id, Limit = limit, ScopeKey = scopeKey, BucketKey = key, Amount = amount,
                    Usage = new BudgetUsage { Spent = 0, Reserved = 0, ResetsAt = resetsAt },
                },
                _ => throw _outage.Unavailable("budgets cannot be checked and the call is refused", ex),
            };
        }
    }

    /// <inheritdoc/>
    public ValueTask SettleAsync(BudgetReservation reservation, decimal actualAmount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return UpdateAsync("settle", reservation, ToNanos(actualAmount, up: false), actualAmount);
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return UpdateAsync("release", reservation, 0, 0);
    }

    /// <inheritdoc/>
    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetLimit limit, string scopeKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(scopeKey);
        cancellationToken.ThrowIfCancellationRequested();
        var (key, resetsAt) = Bucket(limit, scopeKey);
        var (_, usage) = await RunAsync("usage", key, resetsAt, limit, "", 0).ConfigureAwait(false);
        return usage;
    }

    private static BudgetReservation Local(BudgetReservation reservation) => new()
    {
        IsGranted = reservation.IsGranted, Id = "local:" + reservation.Id, Limit = reservation.Limit, ScopeKey = reservation.ScopeKey,
        BucketKey = reservation.BucketKey, Amount = reservation.Amount, Usage = reservation.Usage,
    };

    private static long ToNanos(decimal amount, bool up)
    {
        var nanos = amount * NanosPerDollar;
        return (long)(up ? decimal.Ceiling(nanos) : decimal.Round(nanos, MidpointRounding.AwayFromZero));
    }

    private static decimal FromNanos(long nanos) => nanos / NanosPerDollar;

    private async ValueTask UpdateAsync(string op, BudgetReservation reservation, long nanos, decimal amount)
    {
        if (reservation.Id.StartsWith("open:", StringComparison.Ordinal))
        {
            return;
        }

        if (reservation.Id.StartsWith("local:", StringComparison.Ordinal))
        {
            var local = new BudgetReservation
            {
                IsGranted = true, Id = reservation.Id["local:".Length..], Limit = reservation.Limit, ScopeKey = reservation.ScopeKey,
                BucketKey = reservation.BucketKey, Amount = reservation.Amount, Usage = reservation.Usage,
            };
            if (op == "settle")
            {
                await _local.SettleAsync(local, amount, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await _local.ReleaseAsync(local, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        try
        {
            var resetsAt = Bucket(reservation.Limit, reservation.ScopeKey).ResetsAt;
            await RunAsync(op, reservation.BucketKey, resetsAt, reservation.Limit, reservation.Id, nanos).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            // The call is over: failing it now would lose its answer. The reservation expires on the server.
            _outage.Failed(ex);
        }
    }

    private async Task<(bool Granted, BudgetUsage Usage)> RunAsync(string op, string bucketKey, DateTimeOffset? resetsAt, BudgetLimit limit, string id, long nanos)
    {
        var hash = _options.KeyPrefix + "budget:{" + bucketKey + "}";
        var window = limit.Period == BudgetPeriod.Rolling ? (long)limit.Window!.Value.TotalMilliseconds : 0;
        var timeout = (long)_options.ReservationTimeout.TotalMilliseconds;
        var expireAt = resetsAt is { } at ? at.ToUnixTimeMilliseconds() + timeout : 0;
        var result = (RedisResult[])(await _connection.GetDatabase().ScriptEvaluateAsync(
            Script,
            [hash, hash + ":reserved", hash + ":settled"],
            [op, id, nanos, ToNanos(limit.Amount, up: false), timeout, window, expireAt]).ConfigureAwait(false))!;
        var usage = new BudgetUsage { Spent = FromNanos((long)result[1]), Reserved = FromNanos((long)result[2]), ResetsAt = resetsAt };
        return ((long)result[0] == 1, usage);
    }

    private (string Key, DateTimeOffset? ResetsAt) Bucket(BudgetLimit limit, string scopeKey)
    {
        var utc = _options.TimeProvider.GetUtcNow().ToUniversalTime();
        var (period, resets) = limit.Period switch
        {
            BudgetPeriod.Daily => (utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), new DateTimeOffset(utc.Date, TimeSpan.Zero).AddDays(1)),
            BudgetPeriod.Monthly => (utc.ToString("yyyy-MM", CultureInfo.InvariantCulture), new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)),
            _ => ("rolling", (DateTimeOffset?)null),
        };
        return (string.Join('|', limit.Name, limit.Scope == BudgetScope.Tenant ? "tenant" : "client", scopeKey, period), resets);
    }
}
