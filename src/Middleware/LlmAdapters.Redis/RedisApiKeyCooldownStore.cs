// Licensed under the MIT License.

using System.Globalization;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="IApiKeyCooldownStore"/> on Redis: one hash per scope, a field per key position holding when its
/// cool-down ends; the hash expires with the last cool-down. A key cooled down by one process is skipped by all.
/// While Redis fails each process keeps the cool-downs it saw itself.
/// </summary>
internal sealed class RedisApiKeyCooldownStore : IApiKeyCooldownStore
{
    private const string SetScript = """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        local untilMs = tonumber(ARGV[2])
        if (not current) or tonumber(string.match(current, '^(%d+)')) < untilMs then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
        end
        local expires = redis.call('PEXPIRETIME', KEYS[1])
        if expires < untilMs then redis.call('PEXPIREAT', KEYS[1], untilMs) end
        return 0
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly RedisOutage _outage;

    /// <summary>Initializes a new instance of the <see cref="RedisApiKeyCooldownStore"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisApiKeyCooldownStore(IConnectionMultiplexer connection, RedisStateOptions options, ILogger<RedisApiKeyCooldownStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _outage = new RedisOutage("apikeys", RedisFailurePolicy.FallBackToLocal, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ApiKeyCooldown>> GetAsync(string scope, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        cancellationToken.ThrowIfCancellationRequested();
        HashEntry[] entries;
        try
        {
            entries = await _connection.GetDatabase().HashGetAllAsync(Key(scope)).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
            return [];
        }

        var now = _options.TimeProvider.GetUtcNow();
        var result = new List<ApiKeyCooldown>(entries.Length);
        foreach (var entry in entries)
        {
            var value = entry.Value.ToString().Split(':');
            if (value.Length == 2 && int.TryParse(entry.Name.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
                long.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var untilMs) &&
                Enum.TryParse<ChatProviderErrorKind>(value[1], ignoreCase: false, out var reason) &&
                DateTimeOffset.FromUnixTimeMilliseconds(untilMs) is var until && until > now)
            {
                result.Add(new ApiKeyCooldown(index, until, reason));
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string scope, ApiKeyCooldown cooldown, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        ArgumentNullException.ThrowIfNull(cooldown);
        try
        {
            await _connection.GetDatabase().ScriptEvaluateAsync(
                SetScript,
                [Key(scope)],
                [cooldown.KeyIndex, cooldown.Until.ToUnixTimeMilliseconds(), cooldown.Reason.ToString()]).ConfigureAwait(false);
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
        }
    }

    private RedisKey Key(string scope) => _options.KeyPrefix + "apikeys:{" + scope + "}";
}
