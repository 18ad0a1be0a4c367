// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The configured pipeline's cache stage against Microsoft.Extensions.AI's own <see cref="DistributedCachingChatClient"/>, on a
/// miss and on a hit, over the same free provider and the same backend (<see cref="MemoryDistributedCache"/>). Ours is the
/// configured pipeline with every stage off but the cache (and the always-on defaults client, here with nothing to set);
/// each cached row has its uncached twin, so that the stage's cost is the difference. A miss is measured without the
/// cache's fill and compaction: its backend reads the real cache (which never holds the key) and drops every write after
/// the entry was serialized, so that every call misses on the same prompt and the cache does not grow. A hit reads an entry
/// written once in the setup.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CacheStageBenchmarks
{
    private const string Miss = "Miss";
    private const string Hit = "Hit";

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "Hello")];

    // What our defaults client hands the cache (AI:Model): the same options for M.E.AI's rows "WithModel", so that both keys
    // hash the same request.
    private readonly ChatOptions _model = new() { ModelId = FixedChatClient.Model };
    private readonly List<ServiceProvider> _providers = [];
    private readonly SilentLoggerFactory _loggers = new();
    private FixedChatClient _provider = null!;
    private IChatClient _oursNoCache = null!;
    private IChatClient _oursMiss = null!;
    private IChatClient _oursHit = null!;
    private IChatClient _meaiMiss = null!;
    private IChatClient _meaiHit = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new FixedChatClient(updateCount: 10);
        var store = NewCache();
        var dropWrites = new WriteDroppingCache(NewCache());
        _oursNoCache = Ours(cache: null);
        _oursMiss = Ours(dropWrites);
        _oursHit = Ours(store);
        _meaiMiss = _provider.AsBuilder().UseDistributedCache(dropWrites).Build();
        _meaiHit = _provider.AsBuilder().UseDistributedCache(NewCache()).Build();

        // Prime the hits; check that every row answers the same.
        foreach (var client in new[] { _oursNoCache, _oursMiss, _oursHit, _meaiMiss, _meaiHit, _oursHit, _meaiHit })
        {
            Answers.FromResponseAsync(client.GetResponseAsync(_messages)).GetAwaiter().GetResult().Verify(new("Hello! How can I assist you today?", null, 8, 9), "cache");
        }

        MeaiHitWithModel().GetAwaiter().GetResult().Verify(new("Hello! How can I assist you today?", null, 8, 9), "cache, M.E.AI with the model");
        if (!_oursHit.GetResponseAsync(_messages).GetAwaiter().GetResult().AdditionalProperties!.ContainsKey("llmadapters.cache.hit"))
        {
            throw new InvalidOperationException("The configured cache did not hit.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    /// <summary>The provider alone (what a miss adds to).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Miss)]
    public Task<ChatAnswer> Provider() => Answers.FromResponseAsync(_provider.GetResponseAsync(_messages));

    /// <summary>M.E.AI's <see cref="DistributedCachingChatClient"/>, a miss.</summary>
    [Benchmark]
    [BenchmarkCategory(Miss)]
    public Task<ChatAnswer> MeaiMiss() => Answers.FromResponseAsync(_meaiMiss.GetResponseAsync(_messages));

    /// <summary>M.E.AI's <see cref="DistributedCachingChatClient"/>, a miss, with the options our defaults client sets (the model).</summary>
    [Benchmark]
    [BenchmarkCategory(Miss)]
    public Task<ChatAnswer> MeaiMissWithModel() => Answers.FromResponseAsync(_meaiMiss.GetResponseAsync(_messages, _model));

    /// <summary>The configured pipeline without its cache stage (what our miss adds to).</summary>
    [Benchmark]
    [BenchmarkCategory(Miss)]
    public Task<ChatAnswer> OursNoCache() => Answers.FromResponseAsync(_oursNoCache.GetResponseAsync(_messages));

    /// <summary>The configured pipeline with its cache stage, a miss.</summary>
    [Benchmark]
    [BenchmarkCategory(Miss)]
    public Task<ChatAnswer> OursMiss() => Answers.FromResponseAsync(_oursMiss.GetResponseAsync(_messages));

    /// <summary>M.E.AI's <see cref="DistributedCachingChatClient"/>, a hit.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Hit)]
    public Task<ChatAnswer> MeaiHit() => Answers.FromResponseAsync(_meaiHit.GetResponseAsync(_messages));

    /// <summary>M.E.AI's <see cref="DistributedCachingChatClient"/>, a hit, with the options our defaults client sets (the model).</summary>
    [Benchmark]
    [BenchmarkCategory(Hit)]
    public Task<ChatAnswer> MeaiHitWithModel() => Answers.FromResponseAsync(_meaiHit.GetResponseAsync(_messages, _model));

    /// <summary>The configured pipeline with its cache stage, a hit.</summary>
    [Benchmark]
    [BenchmarkCategory(Hit)]
    public Task<ChatAnswer> OursHit() => Answers.FromResponseAsync(_oursHit.GetResponseAsync(_messages));

    private static MemoryDistributedCache NewCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    private IChatClient Ours(IDistributedCache? cache)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "bench",
            ["AI:Model"] = FixedChatClient.Model,
        };
        foreach (var stage in new[] { "Logging", "OpenTelemetry", "CostAccounting", "FunctionInvocation", "Retry" })
        {
            settings[$"AI:Pipeline:{stage}:Enabled"] = "false";
        }

        settings["AI:Pipeline:Cache:Enabled"] = cache is null ? "false" : "true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_loggers);
        if (cache is not null)
        {
            services.AddSingleton(cache);
        }

        services.AddChatProvider("bench", _ => _provider, defaultEndpoint: new Uri("http://bench.invalid/"));
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        var built = services.BuildServiceProvider();
        _providers.Add(built);
        var client = built.GetRequiredService<IChatClient>();
        Console.WriteLine($"// Ours ({(cache is null ? "no cache" : cache.GetType().Name)}): {PipelineDescription.Describe(client)}");
        return client;
    }

    /// <summary>Reads the real cache, and drops every write (after the caller serialized the entry): a miss without the fill.</summary>
    private sealed class WriteDroppingCache(IDistributedCache inner) : IDistributedCache
    {
        public byte[]? Get(string key) => inner.Get(key);

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

        public void Refresh(string key) => inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

        public void Remove(string key) => inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.CompletedTask;
    }
}
