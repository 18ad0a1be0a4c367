// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The per-call cost of the configured pipeline of LlmAdapters.Hosting (<c>AddConfiguredChatClients</c> with its default
/// stages, <see cref="NullLoggerFactory"/> for logging) around a provider that costs nothing, against that provider called
/// directly (baseline): for <c>GetResponseAsync</c> and for a stream of 50 updates. The <c>Only*</c> rows build the same
/// configured pipeline with every stage but one turned off (<c>AI:Pipeline:{Stage}:Enabled = false</c>), to show
/// where the cost is. The responses name the dated snapshot <c>gpt-4o-mini-2024-07-18</c>, as OpenAI does, so that cost
/// accounting resolves and prices it as in production. The setup prints the clients of each pipeline measured.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PipelineOverheadBenchmarks
{
    private const string Response = "GetResponseAsync";
    private const string Streaming = "Stream50";

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "Hello")];
    private readonly List<ServiceProvider> _providers = [];
    private FixedChatClient _provider = null!;
    private IChatClient _pipeline = null!;
    private IChatClient _defaults = null!;
    private IChatClient _openTelemetry = null!;
    private IChatClient _costAccounting = null!;
    private IChatClient _functionInvocation = null!;
    private IChatClient _retry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new FixedChatClient(updateCount: 50);
        _pipeline = Build(onlyStage: null);
        _defaults = Build("Defaults");
        _openTelemetry = Build("OpenTelemetry");
        _costAccounting = Build("CostAccounting");
        _functionInvocation = Build("FunctionInvocation");
        _retry = Build("Retry");

        PipelineChecks.Verify(_messages, _pipeline, [_provider, _pipeline, _defaults, _openTelemetry, _costAccounting, _functionInvocation, _retry]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    /// <summary>The provider alone.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> Provider() => Answers.FromResponseAsync(_provider.GetResponseAsync(_messages));

    /// <summary>Only the defaults stage (M.E.AI <c>ConfigureOptions</c>).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> OnlyDefaults() => Answers.FromResponseAsync(_defaults.GetResponseAsync(_messages));

    /// <summary>Only M.E.AI's OpenTelemetry stage, no listener.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> OnlyOpenTelemetry() => Answers.FromResponseAsync(_openTelemetry.GetResponseAsync(_messages));

    /// <summary>Only cost accounting (priced model, in-memory ledger).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> OnlyCostAccounting() => Answers.FromResponseAsync(_costAccounting.GetResponseAsync(_messages));

    /// <summary>Only M.E.AI's function invocation, no tools.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> OnlyFunctionInvocation() => Answers.FromResponseAsync(_functionInvocation.GetResponseAsync(_messages));

    /// <summary>Only retry (no failure, so no retry).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> OnlyRetry() => Answers.FromResponseAsync(_retry.GetResponseAsync(_messages));

    /// <summary>The whole default pipeline.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> Pipeline() => Answers.FromResponseAsync(_pipeline.GetResponseAsync(_messages));

    /// <summary>The provider alone, 50 updates.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> ProviderStream() => Answers.FromStreamAsync(_provider.GetStreamingResponseAsync(_messages));

    /// <summary>Only the defaults stage, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> OnlyDefaultsStream() => Answers.FromStreamAsync(_defaults.GetStreamingResponseAsync(_messages));

    /// <summary>Only the OpenTelemetry stage, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> OnlyOpenTelemetryStream() => Answers.FromStreamAsync(_openTelemetry.GetStreamingResponseAsync(_messages));

    /// <summary>Only cost accounting, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> OnlyCostAccountingStream() => Answers.FromStreamAsync(_costAccounting.GetStreamingResponseAsync(_messages));

    /// <summary>Only function invocation, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> OnlyFunctionInvocationStream() => Answers.FromStreamAsync(_functionInvocation.GetStreamingResponseAsync(_messages));

    /// <summary>Only retry, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> OnlyRetryStream() => Answers.FromStreamAsync(_retry.GetStreamingResponseAsync(_messages));

    /// <summary>The whole default pipeline, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> PipelineStream() => Answers.FromStreamAsync(_pipeline.GetStreamingResponseAsync(_messages));

    /// <summary>Builds the configured default client over <see cref="_provider"/>, with every stage but <paramref name="onlyStage"/> turned off (or none).</summary>
    private IChatClient Build(string? onlyStage)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "bench",
            ["AI:Model"] = FixedChatClient.Model,
        };
        if (onlyStage is not null)
        {
            var stages = Services(new Dictionary<string, string?>(settings)).GetServices<IChatPipelineStage>().Select(s => s.Name).Distinct().ToList();
            if (!stages.Contains(onlyStage))
            {
                throw new InvalidOperationException($"No pipeline stage named {onlyStage}; stages: {string.Join(", ", stages)}.");
            }

            foreach (var stage in stages.Where(s => s != onlyStage))
            {
                settings[$"AI:Pipeline:{stage}:Enabled"] = "false";
            }
        }

        var client = Services(settings).GetRequiredService<IChatClient>();
        Console.WriteLine($"// {onlyStage ?? "Pipeline"}: {PipelineDescription.Describe(client)}");
        return client;
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddChatProvider("bench", _ => _provider, defaultEndpoint: new Uri("http://bench.invalid/"));
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }
}
