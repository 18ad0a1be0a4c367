// Licensed under the MIT License.

// One scenario per run, chosen by the first argument; options as --name value. The last line of stdout is one JSON
// object with the counts, which the tests read. Every call ends as "served" or as an error counted by its kind.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using LlmAdapters;
using LlmAdapters.Cost;
using LlmAdapters.OpenAI;
using LlmAdapters.Redis;
using LlmAdapters.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

var scenario = args[0];
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Get(string name) => options[name];
int GetInt(string name) => int.Parse(options[name], CultureInfo.InvariantCulture);
var endpoint = new Uri(Get("endpoint"));
var state = new RedisStateOptions
{
    Configuration = Get("redis") + ",abortConnect=false,connectTimeout=5000,syncTimeout=10000,asyncTimeout=10000",
    KeyPrefix = Get("prefix"),
    RateLimitWindow = options.TryGetValue("window", out var window) ? TimeSpan.FromMilliseconds(int.Parse(window, CultureInfo.InvariantCulture)) : TimeSpan.FromMinutes(1),
};
using var connection = RedisConnection.Connect(state.Configuration, "AI:Redis:Configuration");
var calls = options.ContainsKey("calls") ? GetInt("calls") : 1;
var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var sent = new ConcurrentQueue<long>();
var fallbacks = 0;
using var meters = new MeterListener
{
    InstrumentPublished = (instrument, listener) =>
    {
        if (instrument.Name == RedisTelemetryNames.FallbackInstrument)
        {
            listener.EnableMeasurementEvents(instrument);
        }
    },
};
meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref fallbacks, (int)value));
meters.Start();

IChatClient Provider(string apiKey = "emulator-key") => new OpenAICompatibleChatClient(new() { Endpoint = endpoint, ApiKey = apiKey, Model = "emulator-1" });

async Task RunAsync(IChatClient client, int count, Func<int, string> prompt, string? concern = null)
{
    var tasks = Enumerable.Range(0, count).Select(async i =>
    {
        string outcome;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var response = await client.GetResponseAsync(prompt(i), new ChatOptions { MaxOutputTokens = 1 }, timeout.Token);
            outcome = "served";
            if (concern is null)
            {
                Console.WriteLine("text: " + response.Text);
            }
        }
        catch (BudgetExceededException)
        {
            outcome = "budget_exceeded";
        }
        catch (ChatProviderException ex)
        {
            outcome = ex.Kind + (ex.ProviderName == "redis" ? "_redis" : "");
        }
        catch (OperationCanceledException)
        {
            outcome = "hung";
        }

        outcomes.AddOrUpdate((concern is null ? "" : concern + ":") + outcome, 1, (_, n) => n + 1);
    });
    await Task.WhenAll(tasks);
}

switch (scenario)
{
    case "budget":
    {
        // $1 per output token and one output token per call: the worst case reserved equals the real cost.
        var catalog = new PriceCatalog([new ModelPrice { ModelId = "emulator-1", InputPerMillion = 0, OutputPerMillion = 1_000_000 }]);
        var ledger = new RedisCostLedger(connection, state);
        var budget = new BudgetChatClientOptions { Catalog = catalog, ClientName = "budgeted", Store = new RedisBudgetStore(connection, state) };
        budget.Limits.Add(new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = GetInt("limit"), Period = BudgetPeriod.Daily });
        using var client = new BudgetChatClient(new CostAccountingChatClient(Provider(), new() { Catalog = catalog, Ledger = ledger, ClientName = "budgeted" }), budget);
        await RunAsync(client, calls, i => "Hello " + i);
        break;
    }

    case "rpm":
    {
        using var store = new RedisChatRateLimitStore(connection, state);

        // One call on a limiter of its own first, so that the measured calls do not pay for compiling the code: the
        // times are taken after each grant, and a cold first call would stamp its time late.
        using (var warmup = new RateLimitingChatClient(
            new TimestampingChatClient(Provider(), new ConcurrentQueue<long>()),
            new RateLimitingChatClientOptions { RequestsPerMinute = 1, Store = store, SharedName = "warmup-" + Guid.NewGuid().ToString("N") }))
        {
            await warmup.GetResponseAsync("warm up", new ChatOptions { MaxOutputTokens = 1 });
        }

        using var client = new RateLimitingChatClient(
            new TimestampingChatClient(Provider(), sent),
            new RateLimitingChatClientOptions { RequestsPerMinute = GetInt("rpm"), Store = store, SharedName = "shared-rpm" });
        await RunAsync(client, calls, i => "Hello " + i);
        break;
    }

    case "cache":
    {
        var cache = new RedisFailSafeDistributedCache(
            new RedisCache(new RedisCacheOptions { InstanceName = state.KeyPrefix + "cache:", ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection) }),
            state);
        using var client = Provider().AsBuilder().UseDistributedCache(cache).Build();
        await RunAsync(client, 1, _ => Get("prompt"));
        break;
    }

    case "cooldown":
    {
        using var client = new ApiKeyRotationChatClient(
            [Provider("key-a"), Provider("key-b")],
            new ApiKeyRotationChatClientOptions { CooldownStore = new RedisApiKeyCooldownStore(connection, state), CooldownScope = "rotated" });
        for (var i = 0; i < calls; i++)
        {
            await RunAsync(client, 1, _ => "Hello " + i);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System); // lets the cool-down reach Redis before the process ends
        break;
    }

    case "chaos":
    {
        // Three pipelines, one per concern, run rounds of calls; the test kills redis-server in
        // the middle. Each call ends served or with an error: none may hang.
        var catalog = new PriceCatalog([new ModelPrice { ModelId = "emulator-1", InputPerMillion = 0, OutputPerMillion = 1 }]);
        var budget = new BudgetChatClientOptions { Catalog = catalog, ClientName = "chaos", Store = new RedisBudgetStore(connection, state) };
        budget.Limits.Add(new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = 1000, Period = BudgetPeriod.Daily });
        using var budgeted = new BudgetChatClient(Provider(), budget);
        using var store = new RedisChatRateLimitStore(connection, state);
        using var limited = new RateLimitingChatClient(Provider(), new RateLimitingChatClientOptions { RequestsPerMinute = 100_000, MaxConcurrency = 4, Store = store, SharedName = "chaos" });
        var cache = new RedisFailSafeDistributedCache(
            new RedisCache(new RedisCacheOptions { InstanceName = state.KeyPrefix + "cache:", ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection) }),
            state);
        using var cached = Provider().AsBuilder().UseDistributedCache(cache).Build();
        // Rounds run until the test writes a line (or closes stdin): it kills redis-server after a few rounds and stops
        // the host a few rounds later, so that the run does not depend on how fast this machine is.
        var stop = Task.Run(Console.In.ReadLine); // Console.In reads synchronously even through ReadLineAsync
        var limit = Stopwatch.StartNew();
        Console.WriteLine("started");
        var n = 0;
        while (!stop.IsCompleted && limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            var i = n++;
            await Task.WhenAll(
                RunAsync(budgeted, 1, _ => "Budget " + i, "budget"),
                RunAsync(limited, 1, _ => "Limit " + i, "ratelimit"),
                RunAsync(cached, 1, _ => "Cache " + (i % 3), "cache"));
            outcomes.AddOrUpdate("attempted", 3, (_, v) => v + 3);
            Console.WriteLine("round " + n.ToString(CultureInfo.InvariantCulture));
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        break;
    }

    default:
        throw new ArgumentException("Unknown scenario: " + scenario);
}

// Fire-and-forget ledger writes are ahead of this round trip on the same connection.
if (connection.IsConnected)
{
    try
    {
        await connection.GetDatabase().PingAsync();
    }
    catch (RedisException)
    {
    }
}

var report = new Dictionary<string, object>(StringComparer.Ordinal)
{
    ["outcomes"] = outcomes.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    ["sent"] = sent.ToArray(),
    ["fallbacks"] = fallbacks,
};
Console.WriteLine(JsonSerializer.Serialize(report));

/// <summary>Records when each call reaches the provider (Unix milliseconds), after the rate limiter let it through.</summary>
internal sealed class TimestampingChatClient(IChatClient inner, ConcurrentQueue<long> sent) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        sent.Enqueue(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        return base.GetResponseAsync(messages, options, cancellationToken);
    }
}
