// Licensed under the MIT License.

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LlmAdapters.Cost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LlmAdapters.Redis;

/// <summary>
/// An <see cref="ICostLedger"/> on Redis, readable from any process: one hash of running totals per (client, provider,
/// model, tenant, caller, UTC day), listed in one set, and one per UTC hour, listed in a set per day (what
/// <see cref="GetHourlyTotalsAsync"/> reads). Recording is fire-and-forget (a call never waits for the ledger); amounts
/// are whole nano-dollars, so totals add up exactly.
/// </summary>
/// <remarks>
/// <para>Each day's and hour's cells expire after <see cref="Retention"/>. While Redis cannot take a record, it is kept in this
/// process's <see cref="InMemoryCostLedger"/> (<see cref="Local"/>) and the outage is logged once; reading the totals
/// while Redis is unreachable throws <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public sealed class RedisCostLedger : ICostLedger
{
    private const decimal NanosPerDollar = 1_000_000_000m;

    private const string ReadScript = """
        local out = {}
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local cell = redis.call('HGETALL', ARGV[1] .. id)
          if #cell == 0 then redis.call('SREM', KEYS[1], id) else table.insert(out, cell) end
        end
        return out
        """;

    private const string ReadHoursScript = """
        local out = {}
        for _, set in ipairs(KEYS) do
          for _, id in ipairs(redis.call('SMEMBERS', set)) do
            local cell = redis.call('HGETALL', ARGV[1] .. id)
            if #cell == 0 then redis.call('SREM', set, id) else table.insert(out, cell) end
          end
        end
        return out
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateOptions _options;
    private readonly RedisOutage _outage;

    /// <summary>Initializes a new instance of the <see cref="RedisCostLedger"/> class.</summary>
    /// <param name="connection">The shared connection.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger of outages, or <see langword="null"/>.</param>
    public RedisCostLedger(IConnectionMultiplexer connection, RedisStateOptions options, ILogger<RedisCostLedger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _connection = connection;
        _options = options;
        _outage = new RedisOutage("ledger", RedisFailurePolicy.FallBackToLocal, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Gets or sets how long a day's totals are kept.</summary>
    /// <value>The default value is 90 days.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets the entries that could not be written to Redis while it failed.</summary>
    public InMemoryCostLedger Local { get; } = new();

    /// <inheritdoc/>
    public void Record(CostEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var day = entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var hour = CostBucket.HourOf(entry.Timestamp).ToString("yyyy-MM-ddTHH", CultureInfo.InvariantCulture);
        var id = CellId(entry, day);
        var key = CellPrefix + id;
        var hourId = CellId(entry, hour);
        var hourKey = HourPrefix + hourId;
        var hoursOfDay = HoursKey(day);
        const CommandFlags Flags = CommandFlags.FireAndForget;
        try
        {
            var db = _connection.GetDatabase();
            var batch = db.CreateBatch();
            _ = batch.SetAddAsync(CellsKey, id, Flags);
            _ = batch.HashSetAsync(key, Labels(entry, day), Flags);
            AddTotals(batch, key, entry);
            _ = batch.SetAddAsync(hoursOfDay, hourId, Flags);
            _ = batch.HashSetAsync(hourKey, [.. Labels(entry, day), new HashEntry("hour", hour)], Flags);
            AddTotals(batch, hourKey, entry);
            _ = batch.KeyExpireAsync(hoursOfDay, Retention, Flags);
            batch.Execute();
            _outage.Succeeded();
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            _outage.Failed(ex);
            Local.Record(entry);
        }
    }

    // One cell's counters (the day's or the hour's): calls, tokens, the cost in nanodollars or one more unpriced call.
    private void AddTotals(IBatch batch, RedisKey key, CostEntry entry)
    {
        const CommandFlags Flags = CommandFlags.FireAndForget;
        _ = batch.HashIncrementAsync(key, "calls", 1, Flags);
        _ = batch.HashIncrementAsync(key, "input", entry.InputTokens, Flags);
        _ = batch.HashIncrementAsync(key, "output", entry.OutputTokens, Flags);
        _ = entry.Cost is { } cost
            ? batch.HashIncrementAsync(key, "nanos", (long)decimal.Round(cost.Total * NanosPerDollar, MidpointRounding.AwayFromZero), Flags)
            : batch.HashIncrementAsync(key, "unpriced", 1, Flags);
        _ = batch.KeyExpireAsync(key, Retention, Flags);
    }

    /// <inheritdoc/>
    public CostSummary GetTotal(string? clientName = null, string? modelId = null, string? tenant = null) =>
        Sum(null, Filter(ReadCells(), clientName, modelId, tenant));

    /// <summary>Gets the totals of the entries that match every given filter, without blocking a thread.</summary>
    /// <param name="clientName">Only this client, or <see langword="null"/> for all.</param>
    /// <param name="modelId">Only this model, or <see langword="null"/> for all.</param>
    /// <param name="tenant">Only this tenant, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The totals.</returns>
    /// <exception cref="InvalidOperationException">Redis is unreachable.</exception>
    public async Task<CostSummary> GetTotalAsync(string? clientName = null, string? modelId = null, string? tenant = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Sum(null, Filter(await ReadCellsAsync().ConfigureAwait(false), clientName, modelId, tenant));
    }

    /// <inheritdoc/>
    public IReadOnlyList<CostSummary> GetTotals(CostGrouping grouping) =>
        Group(ReadCells(), grouping switch
        {
            CostGrouping.Client => c => c.Client,
            CostGrouping.Model => c => c.Model,
            CostGrouping.Tenant => c => c.Tenant,
            CostGrouping.Provider => c => c.Provider,
            CostGrouping.Caller => c => c.Caller,
            _ => throw new ArgumentOutOfRangeException(nameof(grouping)),
        });

    /// <summary>Gets the totals by UTC day (<c>yyyy-MM-dd</c>), largest first.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>One summary per day.</returns>
    /// <exception cref="InvalidOperationException">Redis is unreachable.</exception>
    public async Task<IReadOnlyList<CostSummary>> GetDailyTotalsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Group(await ReadCellsAsync().ConfigureAwait(false), c => c.Day);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Redis is unreachable.</exception>
    public async Task<IReadOnlyList<CostBucket>> GetHourlyTotalsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var first = CostBucket.HourOf(since);
        var days = new List<RedisKey>();
        for (var day = first.UtcDateTime.Date; day <= until.UtcDateTime.Date; day = day.AddDays(1))
        {
            days.Add(HoursKey(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        List<Cell> cells;
        try
        {
            cells = Cells(Read(await _connection.GetDatabase().ScriptEvaluateAsync(ReadHoursScript, [.. days], [HourPrefix]).ConfigureAwait(false)));
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            throw Unreachable(ex);
        }

        return [.. cells
            .Select(c => (Cell: c, Start: DateTimeOffset.TryParseExact(c.Hour + ":00:00Z", "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start) ? start : (DateTimeOffset?)null))
            .Where(c => c.Start is { } start && start >= first && start <= until)
            .Select(c => new CostBucket
            {
                Start = c.Start!.Value,
                ClientName = c.Cell.Client,
                Provider = c.Cell.Provider,
                ModelId = c.Cell.Model,
                Tenant = c.Cell.Tenant,
                Caller = c.Cell.Caller,
                Total = c.Cell.Nanos / NanosPerDollar,
                Calls = c.Cell.Calls,
                UnpricedCalls = c.Cell.Unpriced,
                InputTokens = c.Cell.Input,
                OutputTokens = c.Cell.Output,
            })];
    }

    private string CellsKey => _options.KeyPrefix + "ledger:cells";

    private string CellPrefix => _options.KeyPrefix + "ledger:cell:";

    private string HourPrefix => _options.KeyPrefix + "ledger:hour:";

    private string HoursKey(string day) => _options.KeyPrefix + "ledger:hours:" + day;

    private static IReadOnlyList<CostSummary> Group(IEnumerable<Cell> cells, Func<Cell, string?> key) =>
        [.. cells.GroupBy(key, StringComparer.Ordinal).Select(g => Sum(g.Key, g)).OrderByDescending(s => s.Total)];

    private static IEnumerable<Cell> Filter(IEnumerable<Cell> cells, string? clientName, string? modelId, string? tenant) => cells.Where(c =>
        (clientName is null || string.Equals(c.Client, clientName, StringComparison.Ordinal)) &&
        (modelId is null || string.Equals(c.Model, modelId, StringComparison.OrdinalIgnoreCase)) &&
        (tenant is null || string.Equals(c.Tenant, tenant, StringComparison.Ordinal)));

    private static CostSummary Sum(string? key, IEnumerable<Cell> cells)
    {
        long nanos = 0, calls = 0, unpriced = 0, input = 0, output = 0;
        foreach (var cell in cells)
        {
            nanos += cell.Nanos;
            calls += cell.Calls;
            unpriced += cell.Unpriced;
            input += cell.Input;
            output += cell.Output;
        }

        return new CostSummary { Key = key, Total = nanos / NanosPerDollar, Calls = calls, UnpricedCalls = unpriced, InputTokens = input, OutputTokens = output };
    }

    private static string CellId(CostEntry entry, string period)
    {
        var text = string.Join('\u001f', Label(entry.ClientName), Label(entry.Provider), Label(entry.ModelId), Label(entry.Tenant), period);

        // The caller joined the cell's identity later: cells without one keep the ids they always had.
        if (entry.Caller is not null)
        {
            text += "\u001f" + entry.Caller;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

        static string Label(string? value) => value is null ? "\u0000" : value;
    }

    private static HashEntry[] Labels(CostEntry entry, string day)
    {
        var labels = new List<HashEntry>(6) { new("day", day) };
        Add("client", entry.ClientName);
        Add("provider", entry.Provider);
        Add("model", entry.ModelId);
        Add("tenant", entry.Tenant);
        Add("caller", entry.Caller);
        return [.. labels];

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                labels.Add(new HashEntry(name, value));
            }
        }
    }

    private static IEnumerable<HashEntry[]> Read(RedisResult result) =>
        ((RedisResult[])result!).Select(cell =>
        {
            var values = (RedisValue[])cell!;
            var entries = new HashEntry[values.Length / 2];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new HashEntry(values[2 * i], values[(2 * i) + 1]);
            }

            return entries;
        });

    private static List<Cell> Cells(IEnumerable<HashEntry[]> hashes) => hashes.Select(hash =>
    {
        var map = hash.ToDictionary(e => e.Name.ToString(), e => e.Value, StringComparer.Ordinal);
        return new Cell(
            Text("client"), Text("provider"), Text("model"), Text("tenant"), Text("caller"), Text("day"), Text("hour"),
            Number("nanos"), Number("calls"), Number("unpriced"), Number("input"), Number("output"));

        string? Text(string name) => map.TryGetValue(name, out var v) ? v.ToString() : null;

        long Number(string name) => map.TryGetValue(name, out var v) && v.TryParse(out long n) ? n : 0;
    }).ToList();

    private List<Cell> ReadCells()
    {
        try
        {
            return Cells(Read(_connection.GetDatabase().ScriptEvaluate(ReadScript, [CellsKey], [CellPrefix])));
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            throw Unreachable(ex);
        }
    }

    private static InvalidOperationException Unreachable(Exception ex) =>
        new("The shared cost ledger on Redis (AI:Redis:Configuration) is unreachable.", ex);

    private async Task<List<Cell>> ReadCellsAsync()
    {
        try
        {
            return Cells(Read(await _connection.GetDatabase().ScriptEvaluateAsync(ReadScript, [CellsKey], [CellPrefix]).ConfigureAwait(false)));
        }
        catch (Exception ex) when (RedisOutage.IsRedisFailure(ex))
        {
            throw Unreachable(ex);
        }
    }

    private sealed record Cell(string? Client, string? Provider, string? Model, string? Tenant, string? Caller, string? Day, string? Hour, long Nanos, long Calls, long Unpriced, long Input, long Output);
}
