// Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LlmAdapters.OpenTelemetry.Tests;

/// <summary>
/// A configured pipeline (<c>AddConfiguredChatClients</c>) on the emulator, observed with the OpenTelemetry SDK's
/// InMemory exporter: the spans of a tool loop, our retry, fallback, cost and cache tags, the outcome metrics, and one
/// log record per failure.
/// </summary>
public sealed class ConfiguredPipelineTelemetryTests : IAsyncLifetime
{
    private const string CallerSource = "LlmAdapters.Tests.Caller";

    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private EmulatorServer _emulator = null!;
    private TracerProvider _tracing = null!;
    private MeterProvider _meters = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        _tracing = Sdk.CreateTracerProviderBuilder().AddLlmAdaptersInstrumentation(CallerSource).AddInMemoryExporter(_spans).Build();
        _meters = Sdk.CreateMeterProviderBuilder().AddLlmAdaptersInstrumentation().AddInMemoryExporter(_metrics).Build();
    }

    public async ValueTask DisposeAsync()
    {
        _tracing.Dispose();
        _meters.Dispose();
        await _emulator.DisposeAsync();
    }

    private ServiceProvider Build(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:Model"] = "gpt-4o-mini",
            ["AI:ApiKey"] = "sk-test",
            ["AI:Endpoint"] = _emulator.OpenAIEndpoint.ToString(),
            ["AI:Pipeline:Retry:BaseDelay"] = "10ms",
            ["AI:Pipeline:Retry:MaxDelay"] = "50ms",
        };
        foreach (var (key, value) in extra ?? [])
        {
            values[key] = value;
        }

        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services?.Invoke(collection);
        collection.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return collection.BuildServiceProvider();
    }

    private static ChatOptions WeatherTool() => new()
    {
        Tools = [AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather.")],
    };

    private static string? Operation(Activity span) => span.GetTagItem("gen_ai.operation.name") as string;

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ToolLoop_IsChatExecuteToolChatUnderOrchestrateTools_WithPerCallUsageAndOurTags()
    {
        _emulator.Faults.Enqueue(EmulatorFault.Status(503));
        await using var services = Build();
        var client = services.GetRequiredService<IChatClient>();

        ChatResponse response;
        using (var caller = new ActivitySource(new ActivitySourceOptions(CallerSource) { Version = "1.0" }).StartActivity("request"))
        {
            response = await client.GetResponseAsync("call get_weather city=Paris", WeatherTool(), Ct);
        }

        _tracing.ForceFlush();
        Assert.Contains("sunny in Paris", response.Text, StringComparison.Ordinal);
        var chats = _spans.Where(s => Operation(s) == "chat").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, chats.Count);
        var tool = Assert.Single(_spans, s => Operation(s) == "execute_tool");
        Assert.Equal("get_weather", tool.GetTagItem("gen_ai.tool.name"));
        var orchestrate = Assert.Single(_spans, s => s.DisplayName.StartsWith("orchestrate_tools", StringComparison.Ordinal));
        Assert.All(chats, c => Assert.Equal(orchestrate.SpanId, c.ParentSpanId));
        Assert.Equal(orchestrate.SpanId, tool.ParentSpanId);

        // Per-call usage: each chat span has its own tokens, and the second call's prompt includes the tool result.
        Assert.All(chats, c => Assert.True(Long(c.GetTagItem("gen_ai.usage.output_tokens")) > 0));
        Assert.True(Long(chats[1].GetTagItem("gen_ai.usage.input_tokens")) > Long(chats[0].GetTagItem("gen_ai.usage.input_tokens")));

        // Retry tags the model call it retried; the loop's cost is on the caller's span.
        Assert.Equal(2, Long(chats[0].GetTagItem("llmadapters.retry.attempts")));
        Assert.Equal(1, Long(chats[1].GetTagItem("llmadapters.retry.attempts")));
        var request = Assert.Single(_spans, s => s.Source.Name == CallerSource);
        Assert.Equal((double)response.GetCost()!.Total, (double)request.GetTagItem(CostTelemetryNames.CostTag)!, 12);

        // No attribute is set twice on any span.
        Assert.All(_spans, span => Assert.Empty(span.TagObjects.GroupBy(t => t.Key).Where(g => g.Count() > 1).Select(g => g.Key)));
    }

    [Fact]
    public async Task Fallback_TagsTheChatSpanWithTheClientThatServed()
    {
        await using var backup = await EmulatorServer.StartAsync(cancellationToken: Ct);
        _emulator.Faults.Enqueue(new EmulatorFault { StatusCode = 529, Times = 3 });
        await using var services = Build(new()
        {
            ["AI:Clients:main:Pipeline:Fallback:Clients:0"] = "backup",
            ["AI:Clients:backup:Endpoint"] = backup.OpenAIEndpoint.ToString(),
        });

        await services.GetRequiredKeyedService<IChatClient>("main").GetResponseAsync("Hello", cancellationToken: Ct);

        _tracing.ForceFlush();
        var chat = Assert.Single(_spans, s => Operation(s) == "chat");
        Assert.Equal("backup", chat.GetTagItem("llmadapters.fallback.client"));
        Assert.Equal(1, backup.RequestCount);
    }

    [Fact]
    public async Task CacheHit_CostsNothing_MarkedCached_AndTagsTheCallersSpan()
    {
        await using var services = Build(new() { ["AI:Pipeline:Cache:Enabled"] = "true" }, s => s.AddDistributedMemoryCache());
        var client = services.GetRequiredService<IChatClient>();
        var source = new ActivitySource(new ActivitySourceOptions(CallerSource) { Version = "1.0" });

        ChatResponse first, second;
        using (source.StartActivity("first"))
        {
            first = await client.GetResponseAsync("Same question", cancellationToken: Ct);
        }

        using (source.StartActivity("second"))
        {
            second = await client.GetResponseAsync("Same question", cancellationToken: Ct);
        }

        _tracing.ForceFlush();
        Assert.Equal(1, _emulator.RequestCount);
        Assert.Equal(first.Text, second.Text);
        Assert.False(first.GetCost()!.IsCached);
        Assert.True(first.GetCost()!.Total > 0);
        var cost = second.GetCost()!;
        Assert.True(cost.IsCached);
        Assert.Equal(0m, cost.Total);
        Assert.Equal("$0.00 (cached)", cost.ToString());
        Assert.Equal(false, _spans.Single(s => s.DisplayName == "first").GetTagItem("llmadapters.cache.hit"));
        Assert.Equal(true, _spans.Single(s => s.DisplayName == "second").GetTagItem("llmadapters.cache.hit"));
        Assert.Single(_spans, s => Operation(s) == "chat");
    }

    [Fact]
    public async Task CacheHit_Streaming_CostsNothing_MarkedCached()
    {
        await using var services = Build(new() { ["AI:Pipeline:Cache:Enabled"] = "true" }, s => s.AddDistributedMemoryCache());
        var client = services.GetRequiredService<IChatClient>();

        var first = await client.GetStreamingResponseAsync("Stream it", cancellationToken: Ct).ToListAsync(Ct);
        var second = await client.GetStreamingResponseAsync("Stream it", cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(1, _emulator.RequestCount);
        Assert.False(first.GetCost()!.IsCached);
        Assert.True(second.GetCost()!.IsCached);
        Assert.Equal(0m, second.GetCost()!.Total);
    }

    [Fact]
    public async Task Metrics_CountRequestsByOutcomeAndErrorKind_WithDuration()
    {
        _emulator.Faults.Enqueue(EmulatorFault.Status(401));
        await using var services = Build();
        var client = services.GetRequiredService<IChatClient>();

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync("fails", cancellationToken: Ct));
        await client.GetResponseAsync("works", cancellationToken: Ct);
        _meters.ForceFlush();

        var requests = _metrics.Single(m => m.Name == HostingTelemetryNames.RequestsInstrument);
        var points = new List<(string Outcome, string? Kind, long Count)>();
        foreach (ref readonly var point in requests.GetMetricPoints())
        {
            string? outcome = null, kind = null;
            foreach (var tag in point.Tags)
            {
                outcome = tag.Key == HostingTelemetryNames.OutcomeTag ? (string?)tag.Value : outcome;
                kind = tag.Key == HostingTelemetryNames.ErrorTypeTag ? (string?)tag.Value : kind;
            }

            points.Add((outcome!, kind, point.GetSumLong()));
        }

        Assert.Contains(("failure", "Authentication", 1L), points);
        Assert.Contains(("success", null, 1L), points);
        Assert.Contains(_metrics, m => m.Name == HostingTelemetryNames.DurationInstrument);
        Assert.Contains(_metrics, m => m.Name == "gen_ai.client.token.usage");
        Assert.Contains(_metrics, m => m.Name == CostTelemetryNames.CostInstrument);
    }

    [Fact]
    public async Task Failure_IsLoggedOnce_WithoutStackTrace()
    {
        _emulator.Faults.Enqueue(EmulatorFault.Status(401));
        await using var services = Build();
        var logs = services.GetFakeLogCollector();

        await Assert.ThrowsAsync<ChatProviderException>(() => services.GetRequiredService<IChatClient>().GetResponseAsync("fails", cancellationToken: Ct));

        var failures = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning || r.Exception is not null).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Null(failure.Exception);
        Assert.StartsWith("The chat call of client 'default' failed: Authentication:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallersCancellation_IsOneDebugLine_WithoutStackTrace()
    {
        // Slow chunks: the reply is still streaming when the caller cancels.
        await using var slow = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(50) }, Ct);
        await using var services = Build(new() { ["AI:Endpoint"] = slow.OpenAIEndpoint.ToString() });
        var logs = services.GetFakeLogCollector();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in services.GetRequiredService<IChatClient>().GetStreamingResponseAsync("A long reply please", cancellationToken: cancel.Token))
            {
                await cancel.CancelAsync();
            }
        });

        var records = logs.GetSnapshot();
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning);
        Assert.DoesNotContain(records, r => r.Exception is not null);
        var cancelled = Assert.Single(records, r => r.Id.Name == "ChatCallCancelled");
        Assert.Equal(LogLevel.Debug, cancelled.Level);
    }
}
