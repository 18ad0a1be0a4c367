// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmAdapters.Cost.Tests;

public sealed class CostAccountingChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_PricedModel_AttachesCostRecordsLedgerMetricAndActivity()
    {
        var client = NewClientName();
        var ledger = new InMemoryCostLedger();
        using var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("openai", null, "gpt-4o"),
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
            {
                ModelId = "gpt-4o-2024-08-06",
                Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500, TotalTokenCount = 1500 },
            }),
        };
        using var collector = new MetricCollector<double>(null, CostTelemetryNames.MeterName, CostTelemetryNames.CostInstrument);
        using var sut = new ChatClientBuilder(inner).UseCostAccounting(o => { o.Ledger = ledger; o.ClientName = client; }).Build();
        using var activity = new Activity("test").Start();

        var response = await sut.GetResponseAsync("hello", new ChatOptions().WithTenant("acme"), TestContext.Current.CancellationToken);

        var cost = response.GetCost();
        Assert.NotNull(cost);
        Assert.Equal(0.0075m, cost.Total);
        Assert.Equal("$0.0075", cost.ToString());
        Assert.Equal(0.0075, (double)activity.GetTagItem(CostTelemetryNames.CostTag)!);
        Assert.Equal(0.0075m, ledger.GetTotal().Total);
        Assert.Equal(0.0075m, ledger.GetTotal(clientName: client).Total);
        Assert.Equal(0.0075m, ledger.GetTotal(tenant: "acme").Total);
        Assert.Equal(0m, ledger.GetTotal(tenant: "other").Total);
        var byModel = Assert.Single(ledger.GetTotals(CostGrouping.Model));
        Assert.Equal("gpt-4o-2024-08-06", byModel.Key);
        Assert.Equal(1, byModel.Calls);
        Assert.Equal(1000, byModel.InputTokens);

        var measurement = Assert.Single(collector.GetMeasurementSnapshot(), m => Equals(m.Tags[CostTelemetryNames.ClientTag], client));
        Assert.Equal(0.0075, measurement.Value, 10);
        Assert.Equal("openai", measurement.Tags[CostTelemetryNames.ProviderTag]);
        Assert.Equal("gpt-4o-2024-08-06", measurement.Tags[CostTelemetryNames.ModelTag]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OpenAIFixture_CostOnFinalUsageUpdate()
    {
        // stream-text-usage.md: gpt-4o-mini-2024-07-18, one usage: input 8 (5 cached), output 9 (reasoning 90, clamped).
        var ledger = new InMemoryCostLedger();
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => FixtureUsage.OpenAIStream("openai/stream-text-usage.sse") };
        using var sut = new CostAccountingChatClient(inner, new() { Ledger = ledger });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in sut.GetStreamingResponseAsync("hello", null, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        // 3 x $0.15 + 5 x $0.075 + 9 x $0.60 per million.
        var withCost = Assert.Single(updates, u => u.GetCost() is not null);
        Assert.Same(updates[^1], withCost);
        Assert.Equal(0.000006225m, withCost.GetCost()!.Total);
        Assert.Equal(0.000006225m, updates.GetCost()!.Total);
        Assert.Equal(0.000006225m, updates.ToChatResponse().GetCost()!.Total);
        Assert.Equal("Hello! How can I assist you today?", updates.ToChatResponse().Text);
        Assert.Equal(0.000006225m, ledger.GetTotal().Total);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolLoopWithTwoUsages_CostIsCumulative()
    {
        using var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => ToolLoop() };
        using var sut = new CostAccountingChatClient(inner);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in sut.GetStreamingResponseAsync("hello", null, TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        var costs = updates.Select(u => u.GetCost()?.Total).Where(c => c is not null).ToList();
        Assert.Equal([0.0075m, 0.015m], costs);
        Assert.Equal(0.015m, updates.GetCost()!.Total);

        static async IAsyncEnumerable<ChatResponseUpdate> ToolLoop()
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "f")]) { ModelId = "gpt-4o" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 })]) { ModelId = "gpt-4o" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, "done") { ModelId = "gpt-4o" };
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 })]) { ModelId = "gpt-4o" };
        }
    }

    [Fact]
    public async Task GetResponseAsync_UnknownModel_CostIsNullAndWarnsOncePerModel()
    {
        var ledger = new InMemoryCostLedger();
        using var provider = new FakeLoggerProvider();
        using var factory = new LoggerFactory([provider]);
        var collector = provider.Collector;
        using var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, o, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
            {
                ModelId = o!.ModelId,
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 },
            }),
        };
        using var sut = new CostAccountingChatClient(inner, new() { Ledger = ledger }, factory.CreateLogger<CostAccountingChatClient>());

        var first = await sut.GetResponseAsync("a", new ChatOptions { ModelId = "llama3.1:8b" }, TestContext.Current.CancellationToken);
        var second = await sut.GetResponseAsync("b", new ChatOptions { ModelId = "llama3.1:8b" }, TestContext.Current.CancellationToken);
        await sut.GetResponseAsync("c", new ChatOptions { ModelId = "mistral-large" }, TestContext.Current.CancellationToken);

        Assert.Null(first.GetCost());
        Assert.Null(second.GetCost());
        var warnings = collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("llama3.1:8b", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("mistral-large", warnings[1].Message, StringComparison.Ordinal);
        var total = ledger.GetTotal();
        Assert.Equal(0m, total.Total);
        Assert.Equal(3, total.Calls);
        Assert.Equal(3, total.UnpricedCalls);
    }

    [Fact]
    public async Task GetResponseAsync_NoUsage_CostIsNull()
    {
        using var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { ModelId = "gpt-4o" }) };
        using var sut = new CostAccountingChatClient(inner);
        Assert.Null((await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost());
    }

    [Fact]
    public async Task GetResponseAsync_ConfiguredCatalog_UsesOverride()
    {
        var catalog = PriceCatalog.Default.WithPrices([new ModelPrice { ModelId = "my-model", InputPerMillion = 1, OutputPerMillion = 2 }]);
        using var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("ollama", null, "my-model"),
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1000 } }),
        };
        using var sut = new CostAccountingChatClient(inner, new() { Catalog = catalog });
        Assert.Equal(0.003m, (await sut.GetResponseAsync("a", null, TestContext.Current.CancellationToken)).GetCost()!.Total);
    }

    [Fact]
    public void WithTenant_RoundTrips()
    {
        var options = new ChatOptions().WithTenant("t1");
        Assert.Equal("t1", options.GetTenant());
        Assert.Equal("t1", options.AdditionalProperties![ChatOptionsTenantExtensions.TenantKey]);
        Assert.Null(options.WithTenant(null).GetTenant());
        Assert.Null(((ChatOptions?)null).GetTenant());
    }

    private static string NewClientName() => "client-" + Guid.NewGuid().ToString("N");
}
