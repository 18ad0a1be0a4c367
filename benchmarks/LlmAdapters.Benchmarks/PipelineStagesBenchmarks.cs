// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The full configured pipeline, every network-free stage on (defaults, logging, OpenTelemetry, budget, cost accounting,
/// function invocation, the three timeouts, retry, rate limits, two API keys; limits far above the load, so that they cost
/// but never act), against the equivalent plain Microsoft.Extensions.AI chain (baseline: <c>UseLogging</c> +
/// <c>UseOpenTelemetry</c> + <c>UseFunctionInvocation</c>) over the same free provider, and the full pipeline with one stage
/// removed at a time (<c>AI:Pipeline:{Stage}:Enabled = false</c>), so that each stage's cost is the difference between
/// <c>Full</c> and its <c>Without*</c> row. Both chains log to the same <see cref="SilentLoggerFactory"/> (enabled from
/// Information, writing nothing). Groups: <c>GetResponseAsync</c> per call, and streams of 50 and of 10 updates, whose
/// difference gives the cost per update without the per-call cost.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PipelineStagesBenchmarks
{
    private const string Response = "GetResponseAsync";
    private const string Streaming = "Stream50";
    private const string ShortStreaming = "Stream10";

    private static readonly string[] s_stages = ["Defaults", "Logging", "OpenTelemetry", "Budget", "CostAccounting", "FunctionInvocation", "Timeout", "Retry", "RateLimit", "ApiKeys"];

    private readonly List<ChatMessage> _messages = [new(ChatRole.User, "Hello")];
    private readonly List<ServiceProvider> _providers = [];
    private readonly Dictionary<string, IChatClient> _without = [];
    private readonly SilentLoggerFactory _loggers = new();
    private FixedChatClient _provider = null!;
    private FixedChatClient _shortProvider = null!;
    private IChatClient _plain = null!;
    private IChatClient _full = null!;
    private IChatClient _plainShort = null!;
    private IChatClient _fullShort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new FixedChatClient(updateCount: 50);
        _shortProvider = new FixedChatClient(updateCount: 10);
        _plain = Plain(_provider);
        _plainShort = Plain(_shortProvider);
        _full = Build(_provider, without: null);
        _fullShort = Build(_shortProvider, without: null);
        foreach (var stage in s_stages)
        {
            _without[stage] = Build(_provider, stage);
        }

        PipelineChecks.Verify(_messages, _full, new[] { _plain, _full }.Concat(_without.Values));
        Answers.FromStreamAsync(_fullShort.GetStreamingResponseAsync(_messages)).GetAwaiter().GetResult().Verify(new(Payloads.SyntheticText(9), null, 8, 49), "full, 10");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }
    }

    /// <summary>The plain M.E.AI chain: logging, OpenTelemetry, function invocation.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> Plain() => Answers.FromResponseAsync(_plain.GetResponseAsync(_messages));

    /// <summary>The full configured pipeline.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> Full() => Answers.FromResponseAsync(_full.GetResponseAsync(_messages));

    /// <summary>The full pipeline without the defaults stage (system prompt, temperature, max output tokens).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutDefaults() => Answers.FromResponseAsync(_without["Defaults"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without the logging stage (M.E.AI logging and the call outcome client).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutLogging() => Answers.FromResponseAsync(_without["Logging"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without the OpenTelemetry stage.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutOpenTelemetry() => Answers.FromResponseAsync(_without["OpenTelemetry"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without the budget.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutBudget() => Answers.FromResponseAsync(_without["Budget"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without cost accounting.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutCostAccounting() => Answers.FromResponseAsync(_without["CostAccounting"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without function invocation.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutFunctionInvocation() => Answers.FromResponseAsync(_without["FunctionInvocation"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without the three timeouts (total, attempt, first update).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutTimeout() => Answers.FromResponseAsync(_without["Timeout"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without retry.</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutRetry() => Answers.FromResponseAsync(_without["Retry"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without the rate limits (requests and tokens per minute, concurrency).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutRateLimit() => Answers.FromResponseAsync(_without["RateLimit"].GetResponseAsync(_messages));

    /// <summary>The full pipeline without key rotation (two keys).</summary>
    [Benchmark]
    [BenchmarkCategory(Response)]
    public Task<ChatAnswer> WithoutApiKeys() => Answers.FromResponseAsync(_without["ApiKeys"].GetResponseAsync(_messages));

    /// <summary>The plain M.E.AI chain, 50 updates.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> PlainStream() => Answers.FromStreamAsync(_plain.GetStreamingResponseAsync(_messages));

    /// <summary>The full configured pipeline, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> FullStream() => Answers.FromStreamAsync(_full.GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the defaults stage (system prompt, temperature, max output tokens), 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutDefaultsStream() => Answers.FromStreamAsync(_without["Defaults"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the logging stage (M.E.AI logging and the call outcome client), 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutLoggingStream() => Answers.FromStreamAsync(_without["Logging"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the OpenTelemetry stage, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutOpenTelemetryStream() => Answers.FromStreamAsync(_without["OpenTelemetry"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the budget, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutBudgetStream() => Answers.FromStreamAsync(_without["Budget"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without cost accounting, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutCostAccountingStream() => Answers.FromStreamAsync(_without["CostAccounting"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without function invocation, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutFunctionInvocationStream() => Answers.FromStreamAsync(_without["FunctionInvocation"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the three timeouts (total, attempt, first update), 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutTimeoutStream() => Answers.FromStreamAsync(_without["Timeout"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without retry, 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutRetryStream() => Answers.FromStreamAsync(_without["Retry"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without the rate limits (requests and tokens per minute, concurrency), 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutRateLimitStream() => Answers.FromStreamAsync(_without["RateLimit"].GetStreamingResponseAsync(_messages));

    /// <summary>The full pipeline without key rotation (two keys), 50 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(Streaming)]
    public Task<ChatAnswer> WithoutApiKeysStream() => Answers.FromStreamAsync(_without["ApiKeys"].GetStreamingResponseAsync(_messages));

    /// <summary>The plain M.E.AI chain, 10 updates.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ShortStreaming)]
    public Task<ChatAnswer> PlainStream10() => Answers.FromStreamAsync(_plainShort.GetStreamingResponseAsync(_messages));

    /// <summary>The full configured pipeline, 10 updates.</summary>
    [Benchmark]
    [BenchmarkCategory(ShortStreaming)]
    public Task<ChatAnswer> FullStream10() => Answers.FromStreamAsync(_fullShort.GetStreamingResponseAsync(_messages));

    private IChatClient Plain(IChatClient provider)
    {
        var client = provider.AsBuilder().UseLogging(_loggers).UseOpenTelemetry().UseFunctionInvocation(_loggers).Build();
        Console.WriteLine($"// Plain: {PipelineDescription.Describe(client)}");
        return client;
    }

    /// <summary>Builds the full configured client over <paramref name="provider"/>, without the stage <paramref name="without"/> (or with all).</summary>
    private IChatClient Build(IChatClient provider, string? without)
    {
        var settings = FullPipelineSettings.Create("bench", FixedChatClient.Model, without);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_loggers);
        services.AddChatProvider("bench", _ => provider, defaultEndpoint: new Uri("http://bench.invalid/"));
        services.AddConfiguredChatClients(configuration.GetSection("AI"));
        var built = services.BuildServiceProvider();
        _providers.Add(built);
        var client = built.GetRequiredService<IChatClient>();
        Console.WriteLine($"// {(without is null ? "Full" : "Without" + without)}: {PipelineDescription.Describe(client)}");
        return client;
    }
}
