// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting.Tests.Cost;

/// <summary>
/// Issue 21 (items 3 to 6), on the emulator over real HTTP through a configured pipeline, streaming and not: one pricing
/// decision per call shared by the budget, cost accounting and the ledger; no silent unenforced budget; service tiers,
/// cache writes by TTL and cancelled streams priced as the invoice would; the cost on each chat span.
/// </summary>
public sealed class InvoicePricingTests
{
    private static readonly BudgetLimit s_daily = new() { Name = "AI:Pipeline:Budget:Daily", Amount = 10m, Period = BudgetPeriod.Daily };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Host(EmulatorServer emulator, string model, InMemoryCostLedger ledger, InMemoryBudgetStore store, string provider = "openai", params (string Key, string Value)[] more)
    {
        var values = new Dictionary<string, string?>
        {
            ["AI:Provider"] = provider,
            ["AI:Endpoint"] = (provider == "anthropic" ? emulator.AnthropicEndpoint : emulator.OpenAIEndpoint).ToString(),
            ["AI:ApiKey"] = "sk-test-emulator-0000000000000000",
            ["AI:Model"] = model,
            ["AI:Pipeline:Budget:Daily"] = "10",
            ["AI:Pipeline:Retry:MaxAttempts"] = "1",
        };
        foreach (var (key, value) in more)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<ICostLedger>(ledger);
        services.AddSingleton<IBudgetStore>(store);
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("AI"));
        return services.BuildServiceProvider();
    }

    private static async Task<(ChatCost? Cost, ChatResponse Response)> CallAsync(IChatClient client, bool streaming, ChatOptions? options = null)
    {
        if (!streaming)
        {
            var response = await client.GetResponseAsync("Hello", options, Ct);
            return (response.GetCost(), response);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hello", options, Ct))
        {
            updates.Add(update);
        }

        return (updates.GetCost(), updates.ToChatResponse());
    }

    private static async Task<decimal> SpentAsync(InMemoryBudgetStore store) => (await store.GetUsageAsync(s_daily, "default", Ct)).Spent;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownResponseModel_IsPricedByTheRequestedModel_AndTheLedgerTotalEqualsTheBudgetSpend(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Model = "acme-finetune-unknown-7", Text = "Hello there.", InputTokens = 1000, OutputTokens = 500 });
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        await using var host = Host(emulator, "gpt-4o-mini", ledger, store);

        var (cost, response) = await CallAsync(host.GetRequiredService<IChatClient>(), streaming);

        Assert.Equal("acme-finetune-unknown-7", response.ModelId);
        Assert.NotNull(cost);
        Assert.Equal(PricedModelSource.RequestedModel, cost.PricedBy);
        Assert.Equal("gpt-4o-mini", cost.PricedAs);
        Assert.Equal(0.00045m, cost.Total); // 1000 x $0.15 + 500 x $0.60 per million
        var total = ledger.GetTotal();
        Assert.Equal(0, total.UnpricedCalls);
        Assert.Equal(cost.Total, total.Total);
        Assert.Equal(total.Total, await SpentAsync(store));
    }

    [Fact]
    public void EveryBuiltInProvider_DefaultModel_IsPriced()
    {
        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        var factories = provider.GetServices<IChatProviderFactory>().ToList();

        Assert.Contains(factories, f => f.Name == "groq");
        Assert.Contains(factories, f => f.Name == "together");
        Assert.Contains(factories, f => f.Name == "deepseek");
        foreach (var factory in factories.Where(f => f.DefaultModel is not null))
        {
            var price = PriceCatalog.Default.GetPrice(factory.DefaultModel);
            Assert.True(price is not null, $"{factory.Name}: default model '{factory.DefaultModel}' has no price");
            Assert.False(string.IsNullOrWhiteSpace(price.Source), factory.Name);
            Assert.NotNull(price.EffectiveDate);
        }

        // The presets without a default model serve whatever was loaded (local servers): the model must be configured there.
        Assert.All(factories.Where(f => f.DefaultModel is null), f => Assert.Null(f.DefaultEndpoint is { IsLoopback: false } ? f.Name : null));
    }

    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "openai",
            ["AI:ApiKey"] = "sk-test",
            ["AI:Model"] = "acme-unpriced",
            ["AI:Pipeline:Budget:Daily"] = "5",
        };
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        var services = new ServiceCollection();
        services.AddConfiguredChatClients(new ConfigurationBuilder().AddInMemoryCollection(all).Build().GetSection("AI"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ConfiguredChatClients>().Validate();
    }

    [Fact]
    public void BudgetOnAnUnpricedModel_IsAStartUpError_NamingTheModelAndTheKeys_UnlessAPolicyIsChosen()
    {
        var error = Assert.Single(Validate());
        Assert.Contains("AI:Pipeline:Budget is set, but model 'acme-unpriced' has no price", error, StringComparison.Ordinal);
        Assert.Contains("AI:Pricing:Models:acme-unpriced:Input", error, StringComparison.Ordinal);
        Assert.Contains("AI:Pricing:UnpricedModels = Reject", error, StringComparison.Ordinal);

        Assert.Empty(Validate(("AI:Pricing:UnpricedModels", "Reject")));
        Assert.Empty(Validate(("AI:Pipeline:Budget:RejectUnpricedModels", "true")));
        Assert.Empty(Validate(("AI:Pricing:UnpricedModels", "Estimate"), ("AI:Pricing:Estimate:Input", "1"), ("AI:Pricing:Estimate:Output", "2")));
        Assert.Empty(Validate(("AI:Pricing:Models:acme-unpriced:Input", "1"), ("AI:Pricing:Models:acme-unpriced:Output", "2")));
        Assert.Contains(Validate(("AI:Pricing:UnpricedModels", "Estimate")), e => e.Contains("AI:Pricing:Estimate:Input", StringComparison.Ordinal));
        Assert.Contains(Validate(("AI:Pricing:UnpricedModels", "Sometimes")), e => e.Contains("AI:Pricing:UnpricedModels is 'Sometimes'", StringComparison.Ordinal));
        Assert.Empty(Validate(("AI:Pipeline:Budget:Daily", ""), ("AI:Pipeline:Budget:Monthly", "")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnpricedModel_UnderTheEstimatePolicy_IsPricedAndMarked_AndTheLedgerEqualsTheBudget(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hi.", InputTokens = 1_000_000, OutputTokens = 1_000_000 });
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        await using var host = Host(emulator, "acme-unpriced", ledger, store, "openai",
            ("AI:Pricing:UnpricedModels", "Estimate"), ("AI:Pricing:Estimate:Input", "1"), ("AI:Pricing:Estimate:Output", "2"), ("AI:MaxOutputTokens", "100"));

        var (cost, _) = await CallAsync(host.GetRequiredService<IChatClient>(), streaming);

        Assert.NotNull(cost);
        Assert.Equal(3m, cost.Total);
        Assert.True(cost.IsEstimated);
        Assert.Equal(PricedModelSource.EstimatePolicy, cost.PricedBy);
        Assert.Equal(3m, ledger.GetTotal().Total);
        Assert.Equal(3m, await SpentAsync(store));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServiceTier_TheClientSettingIsSent_AndTheTierTheResponseReportsDrivesThePrice(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hi.", InputTokens = 1_000_000, OutputTokens = 1_000_000, ServiceTier = "flex" });
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hi.", InputTokens = 1_000_000, OutputTokens = 1_000_000, ServiceTier = "default" });
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        await using var host = Host(emulator, "gpt-5-mini", ledger, store, "openai", ("AI:ServiceTier", "flex"), ("AI:MaxOutputTokens", "100"));
        var client = host.GetRequiredService<IChatClient>();

        var (flex, _) = await CallAsync(client, streaming);
        // Asked for priority per call; the provider served it at the default tier: the reported tier is the one billed.
        var (served, _) = await CallAsync(client, streaming, new ChatOptions { AdditionalProperties = new() { ["service_tier"] = "priority" } });

        Assert.Contains("\"service_tier\":\"flex\"", emulator.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"service_tier\":\"priority\"", emulator.Requests[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"flex\"", emulator.Requests[1].Body, StringComparison.Ordinal);
        Assert.NotNull(flex);
        Assert.Equal("flex", flex.ServiceTier);
        Assert.Equal(1.125m, flex.Total); // flex: $0.125 input + $1.00 output per million, half of standard
        Assert.NotNull(served);
        Assert.Null(served.ServiceTier);
        Assert.Equal(2.25m, served.Total); // standard: $0.25 + $2.00
        Assert.Equal(3.375m, ledger.GetTotal().Total);
        Assert.Equal(3.375m, await SpentAsync(store));
    }

    [Fact]
    public async Task ServiceTier_RequestedPerCall_PricesTheCall_WhenTheResponseReportsNone()
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hi.", InputTokens = 1_000_000, OutputTokens = 0 });
        await using var host = Host(emulator, "gpt-5-mini", new InMemoryCostLedger(), new InMemoryBudgetStore(), "openai", ("AI:MaxOutputTokens", "100"));

        var (cost, _) = await CallAsync(host.GetRequiredService<IChatClient>(), streaming: false, new ChatOptions { AdditionalProperties = new() { ["service_tier"] = "priority" } });

        Assert.NotNull(cost);
        Assert.Equal("priority", cost.ServiceTier);
        Assert.Equal(0.45m, cost.Total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnthropicCacheWrites_ArePricedByTheirTtl_FromTheUsageTheProviderReturns(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply
        {
            Text = "Hi.",
            InputTokens = 1000,
            OutputTokens = 100,
            ServiceTier = "standard",
            UsageJson = """{"cache_creation_input_tokens":3000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000}}""",
        });
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        await using var host = Host(emulator, "claude-haiku-4-5", ledger, store, "anthropic", ("AI:MaxOutputTokens", "100"));

        var (cost, response) = await CallAsync(host.GetRequiredService<IChatClient>(), streaming);

        Assert.Equal(4000, response.Usage?.InputTokenCount);
        Assert.NotNull(cost);
        // 1000 uncached x $1 + 1000 written for 5 minutes x $1.25 + 2000 written for 1 hour x $2 + 100 output x $5, per million.
        Assert.Equal(0.00625m, cost.CacheWrite + cost.Input);
        Assert.Equal(0.00675m, cost.Total);
        Assert.Equal(cost.Total, ledger.GetTotal().Total);
        Assert.Equal(cost.Total, await SpentAsync(store));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamCancelledBeforeItsUsage_IsRecordedEstimated_NeverZero_AndTheBudgetSpendsTheSame(bool abandon)
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { ChunkDelay = TimeSpan.FromMilliseconds(50) }, Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = string.Concat(Enumerable.Repeat("A long answer that keeps going. ", 60)) });
        var ledger = new InMemoryCostLedger();
        var store = new InMemoryBudgetStore();
        await using var host = Host(emulator, "gpt-4o-mini", ledger, store, "openai", ("AI:MaxOutputTokens", "2000"));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var texts = 0;
        try
        {
            await foreach (var update in host.GetRequiredService<IChatClient>().GetStreamingResponseAsync("Tell me a story", cancellationToken: cts.Token))
            {
                Assert.DoesNotContain(update.Contents, c => c is UsageContent);
                if (!string.IsNullOrEmpty(update.Text) && ++texts == 3)
                {
                    if (abandon)
                    {
                        break;
                    }

                    await cts.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (!abandon)
        {
        }

        var total = ledger.GetTotal();
        Assert.Equal(1, total.Calls);
        Assert.Equal(0, total.UnpricedCalls);
        Assert.True(total.Total > 0m, "a cancelled stream must not be recorded at $0");
        Assert.True(total.InputTokens > 0 && total.OutputTokens > 0);
        Assert.Equal(total.Total, await SpentAsync(store));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EachChatSpan_CarriesItsCost_InTheShapeOfTheGenAiProposal(bool streaming)
    {
        await using var emulator = await EmulatorServer.StartAsync(cancellationToken: Ct);
        emulator.Replies.Enqueue(new EmulatorReply { Text = "Hi.", InputTokens = 1000, OutputTokens = 500 });
        var sourceName = "LlmAdapters.Tests." + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = Host(emulator, "gpt-4o-mini", new InMemoryCostLedger(), new InMemoryBudgetStore(), "openai", ("AI:Pipeline:OpenTelemetry:SourceName", sourceName));

        _ = await CallAsync(host.GetRequiredService<IChatClient>(), streaming);

        var chat = Assert.Single(spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal(0.00045, (double)chat.GetTagItem(CostTelemetryNames.CostAmountAttribute)!, 10);
        Assert.Equal("USD", chat.GetTagItem(CostTelemetryNames.CostCurrencyAttribute));
        Assert.Equal(CostTelemetryNames.CostSourceCatalog, chat.GetTagItem(CostTelemetryNames.CostSourceAttribute));
    }
}
