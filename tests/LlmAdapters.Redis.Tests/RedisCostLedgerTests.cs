// Licensed under the MIT License.

using LlmAdapters.Cost;

namespace LlmAdapters.Redis.Tests;

public sealed class RedisCostLedgerTests(RedisServer redis)
{
    private static CostEntry Entry(string client, string provider, string model, string? tenant, decimal? cost, DateTimeOffset? at = null, string? caller = null) => new()
    {
        Timestamp = at ?? new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
        ClientName = client,
        Provider = provider,
        ModelId = model,
        Tenant = tenant,
        Caller = caller,
        Cost = cost is { } c ? new ChatCost { Total = c } : null,
        InputTokens = 10,
        OutputTokens = 5,
    };

    [Fact]
    public async Task Totals_WrittenByOneInstance_AreReadExactlyByAnother_ByEveryGrouping()
    {
        var options = new RedisStateOptions { KeyPrefix = "ledger-" + Guid.NewGuid().ToString("N")[..8] + ":" };
        var writer = new RedisCostLedger(redis.Connection, options);
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 0.000123456m));
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t2", 0.1m));
        writer.Record(Entry("summary", "anthropic", "claude", "t1", 1m, new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero)));
        writer.Record(Entry("summary", "anthropic", "claude", null, null));
        await redis.Connection.GetDatabase().PingAsync();

        var reader = new RedisCostLedger(redis.Connection, options);
        var total = reader.GetTotal();
        var chat = await reader.GetTotalAsync(clientName: "chat", cancellationToken: TestContext.Current.CancellationToken);
        var byTenant = reader.GetTotals(CostGrouping.Tenant);
        var byProvider = reader.GetTotals(CostGrouping.Provider);
        var byModel = reader.GetTotals(CostGrouping.Model);
        var byDay = await reader.GetDailyTotalsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1.100123456m, total.Total);
        Assert.Equal(4, total.Calls);
        Assert.Equal(1, total.UnpricedCalls);
        Assert.Equal(40, total.InputTokens);
        Assert.Equal(20, total.OutputTokens);
        Assert.Equal(0.100123456m, chat.Total);
        Assert.Equal(1.000123456m, byTenant.Single(s => s.Key == "t1").Total);
        Assert.Equal(1, byTenant.Single(s => s.Key is null).Calls);
        Assert.Equal(["anthropic", "openai"], byProvider.Select(s => s.Key));
        Assert.Equal(1m, byModel.Single(s => s.Key == "claude").Total);
        Assert.Equal(1m, byDay.Single(s => s.Key == "2026-11-24").Total);
        Assert.Equal(3, byDay.Single(s => s.Key == "2026-11-23").Calls);
        Assert.Equal(1m, reader.GetTotal(modelId: "CLAUDE", tenant: "t1").Total);
    }

    [Fact]
    public async Task HourlyTotals_WrittenByOneInstance_AreReadByAnother_WithTheCaller_OnlyForTheHoursAsked()
    {
        var options = new RedisStateOptions { KeyPrefix = "ledger-" + Guid.NewGuid().ToString("N")[..8] + ":" };
        var writer = new RedisCostLedger(redis.Connection, options);
        var noon = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 0.25m, noon.AddMinutes(5), "key-a"));
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 0.25m, noon.AddMinutes(50), "key-a"));
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 1m, noon.AddHours(13), "key-b"));
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 4m, noon.AddDays(-2), "key-b"));
        writer.Record(Entry("chat", "openai", "gpt-4o-mini", "t1", 8m, noon));
        await redis.Connection.GetDatabase().PingAsync();

        var reader = new RedisCostLedger(redis.Connection, options);
        var buckets = await reader.GetHourlyTotalsAsync(noon.AddMinutes(30), noon.AddDays(1), TestContext.Current.CancellationToken);

        Assert.Equal(3, buckets.Count);
        var a = Assert.Single(buckets, b => b.Caller == "key-a");
        Assert.Equal(noon, a.Start);
        Assert.Equal(0.5m, a.Total);
        Assert.Equal(2, a.Calls);
        Assert.Equal("t1", a.Tenant);
        Assert.Equal(noon.AddHours(13), Assert.Single(buckets, b => b.Caller == "key-b").Start);
        Assert.Equal(8m, Assert.Single(buckets, b => b.Caller is null).Total);
        Assert.Equal(5m, reader.GetTotals(CostGrouping.Caller).Single(s => s.Key == "key-b").Total);
        Assert.Equal(13.5m, reader.GetTotal().Total);
    }

    [Fact]
    public void RedisDown_RecordsInThisProcess_AndReadingSaysRedisIsUnreachable()
    {
        using var dead = DeadRedis.Connect();
        var ledger = new RedisCostLedger(dead, new RedisStateOptions());

        ledger.Record(Entry("chat", "openai", "gpt-4o-mini", null, 0.5m));

        Assert.Equal(0.5m, ledger.Local.GetTotal().Total);
        var ex = Assert.Throws<InvalidOperationException>(() => ledger.GetTotal());
        Assert.Contains("AI:Redis:Configuration", ex.Message, StringComparison.Ordinal);
    }
}
