// Licensed under the MIT License.

using System.Globalization;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="IChatRoutingStore"/> on Redis: one hash per scope (a configured client) with a field per target for when
/// its cool-down ends (<c>cd:{target}</c>, a later end wins) and one for the moving average of its time to first token in
/// milliseconds (<c>lat:{target}</c>, updated by a script so that concurrent samples are not lost); the hash expires a day
/// after its last write. A conversation's target is a key of its own (<c>routing:{scope}:aff:{digest}</c>) that expires
/// with the affinity's duration; the digest is a hash of the conversation id or first messages, never their text.
/// While Redis fails each process keeps what it saw itself.
/// </summary>
internal sealed class RedisChatRoutingStore : IChatRoutingStore
{
    private const long HashLifetimeMs = 24 * 60 * 60 * 1000;

    private const string CooldownScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if (not current) or tonumber(current) < tonumber(ARGV[2]) then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 0
        """;

    private const string LatencyScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        local sample = tonumber(ARGV[2])
        local average = sample
        if current then
          local c = tonumber(current)
          average = c + tonumber(ARGV[3]) * (sample - c)
        end
        redis.call('HSET', KEYS[1], ARGV[1], string.format('%.3f', average))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 0
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly RedisOutage _outage;

    /// <summary>Initializes a new instance of the <see cref="RedisChatRoutingStore"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisChatRoutingStore(IConnectionMultiplexer connection, RedisStateOptions options, ILogger<RedisChatRoutingStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _outage = new RedisOutage("routing", RedisFailurePolicy.FallBackToLocal, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc/>
    public async ValueTask<ChatRoutingSnapshot> GetAsync(string scope, string? affinityKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        cancellationToken.ThrowIfCancellationRequested();
        HashEntry[] entries;
        RedisValue affinity = RedisValue.Null;
        try
        {
            var db = _connection.GetDatabase();
            var hash = db.HashGetAllAsync(Key(scope));
            var held = affinityKey is null ? null : db.StringGetAsync(AffinityKey(scope, affinityKey));
            entries = await hash.ConfigureAwait(false);
            if (held is not null)
            {
                affinity = await held.ConfigureAwait(false);
            }

            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
            return ChatRoutingSnapshot.Empty;
        }

        var now = _options.TimeProvider.GetUtcNow();
        var cooldowns = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        var latencies = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var field = entry.Name.ToString();
            var value = entry.Value.ToString();
            if (field.StartsWith("cd:", StringComparison.Ordinal) &&
                long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs) &&
                DateTimeOffset.FromUnixTimeMilliseconds(untilMs) is var until && until > now)
            {
                cooldowns[field[3..]] = until;
            }
            else if (field.StartsWith("lat:", StringComparison.Ordinal) &&
                double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms) && ms >= 0)
            {
                latencies[field[4..]] = TimeSpan.FromMilliseconds(ms);
            }
        }

        return new ChatRoutingSnapshot(cooldowns, latencies, affinity.HasValue ? affinity.ToString() : null);
    }

    /// <inheritdoc/>
    public ValueTask SetCooldownAsync(string scope, string target, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        return RunAsync(db => db.ScriptEvaluateAsync(CooldownScript, [Key(scope)], ["cd:" + target, until.ToUnixTimeMilliseconds(), HashLifetimeMs]));
    }

    /// <inheritdoc/>
    public ValueTask RecordLatencyAsync(string scope, string target, TimeSpan timeToFirstToken, double smoothing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (!(smoothing > 0 && smoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "The smoothing is greater than 0 and at most 1.");
        }

        var ms = Math.Max(0, timeToFirstToken.TotalMilliseconds).ToString("0.###", CultureInfo.InvariantCulture);
        return RunAsync(db => db.ScriptEvaluateAsync(
            LatencyScript, [Key(scope)], ["lat:" + target, ms, smoothing.ToString("R", CultureInfo.InvariantCulture), HashLifetimeMs]));
    }

    /// <inheritdoc/>
    public ValueTask SetAffinityAsync(string scope, string affinityKey, string target, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(affinityKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return RunAsync(db => db.StringSetAsync(AffinityKey(scope, affinityKey), target, duration));
    }

    private async ValueTask RunAsync(Func<IDatabase, Task> write)
    {
        try
        {
            await write(_connection.GetDatabase()).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
        }
    }

    private RedisKey Key(string scope) => _options.KeyPrefix + "routing:{" + scope + "}";

    private RedisKey AffinityKey(string scope, string affinityKey) => _options.KeyPrefix + "routing:{" + scope + "}:aff:" + affinityKey;
}
