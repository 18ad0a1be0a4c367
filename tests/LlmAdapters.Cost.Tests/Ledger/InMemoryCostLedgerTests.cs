// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Cost.Tests;

public sealed class InMemoryCostLedgerTests
{
    private static readonly DateTimeOffset s_noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static CostEntry Entry(DateTimeOffset at, string? caller, decimal? cost, string tenant = "t1") => new()
    {
        Timestamp = at,
        ClientName = "chat",
        Provider = "openai",
        ModelId = "gpt-4o-mini",
        Tenant = tenant,
        Caller = caller,
        Cost = cost is { } c ? new ChatCost { Total = c } : null,
        InputTokens = 10,
        OutputTokens = 5,
    };

    [Fact]
    public async Task HourlyTotals_KeepTheCallerAndTheHour_AndTheRangeIsWholeHours()
    {
        var ledger = new InMemoryCostLedger();
        ledger.Record(Entry(s_noon.AddMinutes(5), "key-a", 0.25m));
        ledger.Record(Entry(s_noon.AddMinutes(59), "key-a", 0.25m));
        ledger.Record(Entry(s_noon.AddMinutes(61), "key-b", 1m));
        ledger.Record(Entry(s_noon.AddHours(-3), "key-b", null));

        var buckets = await ledger.GetHourlyTotalsAsync(s_noon.AddMinutes(30), s_noon.AddHours(2), TestContext.Current.CancellationToken);

        Assert.Equal(2, buckets.Count);
        var a = Assert.Single(buckets, b => b.Caller == "key-a");
        Assert.Equal(s_noon, a.Start);
        Assert.Equal(0.5m, a.Total);
        Assert.Equal(2, a.Calls);
        Assert.Equal(20, a.InputTokens);
        Assert.Equal(s_noon.AddHours(1), Assert.Single(buckets, b => b.Caller == "key-b").Start);
        Assert.Equal(2, ledger.GetTotals(CostGrouping.Caller).Single(s => s.Key == "key-b").Calls);
        Assert.Equal(1, ledger.GetTotals(CostGrouping.Caller).Single(s => s.Key == "key-b").UnpricedCalls);
    }

    [Fact]
    public async Task HourlyTotals_OlderThanTheRetention_AreForgotten_ButTheLifetimeTotalsAreNot()
    {
        var ledger = new InMemoryCostLedger { Retention = TimeSpan.FromDays(1) };
        ledger.Record(Entry(s_noon.AddDays(-3), "key-a", 1m));
        ledger.Record(Entry(s_noon, "key-a", 2m));

        var buckets = await ledger.GetHourlyTotalsAsync(s_noon.AddDays(-10), s_noon, TestContext.Current.CancellationToken);

        Assert.Equal(2m, Assert.Single(buckets).Total);
        Assert.Equal(3m, ledger.GetTotal().Total);
    }

    [Fact]
    public async Task CostAccounting_RecordsTheCaller_FromTheOptions()
    {
        var ledger = new InMemoryCostLedger();
        using var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("openai", null, "gpt-4o"),
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
            {
                Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500, TotalTokenCount = 1500 },
            }),
        };
        using var sut = new ChatClientBuilder(inner).UseCostAccounting(o => o.Ledger = ledger).Build();

        await sut.GetResponseAsync("hello", new ChatOptions().WithTenant("acme").WithCaller("gateway-key-1"), TestContext.Current.CancellationToken);

        var caller = Assert.Single(ledger.GetTotals(CostGrouping.Caller));
        Assert.Equal("gateway-key-1", caller.Key);
        Assert.Equal(0.0075m, caller.Total);
        Assert.Equal("c", new ChatOptions().WithCaller("c").GetCaller());
        Assert.Null(new ChatOptions().WithCaller("c").WithCaller(null).GetCaller());
    }
}
