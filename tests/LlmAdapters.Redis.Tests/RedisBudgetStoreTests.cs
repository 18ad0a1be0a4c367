// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace LlmAdapters.Redis.Tests;

public sealed class RedisBudgetStoreTests(RedisServer redis)
{
    private static readonly BudgetLimit s_daily = new() { Name = "AI:Pipeline:Budget:Daily", Amount = 20, Period = BudgetPeriod.Daily };

    private RedisBudgetStore Store(TimeSpan? reservationTimeout = null) => new(
        redis.Connection,
        new RedisStateOptions { KeyPrefix = "budget-" + Guid.NewGuid().ToString("N")[..8] + ":", ReservationTimeout = reservationTimeout ?? TimeSpan.FromMinutes(10) });

    [Fact]
    public async Task TryReserve_HundredConcurrentReservations_GrantsExactlyWhatFits()
    {
        var store = Store();

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => store.TryReserveAsync(s_daily, "c", 0.5m).AsTask()));

        Assert.Equal(40, results.Count(r => r.IsGranted));
        var usage = await store.GetUsageAsync(s_daily, "c", TestContext.Current.CancellationToken);
        Assert.Equal(20m, usage.Reserved);
        Assert.Equal(0m, usage.Spent);
    }

    [Fact]
    public async Task SettleAndRelease_ReplaceTheReservationByTheRealCost()
    {
        var store = Store();
        var first = await store.TryReserveAsync(s_daily, "c", 5m, TestContext.Current.CancellationToken);
        var second = await store.TryReserveAsync(s_daily, "c", 5m, TestContext.Current.CancellationToken);

        await store.SettleAsync(first, 1.234567891m, TestContext.Current.CancellationToken);
        await store.ReleaseAsync(second, TestContext.Current.CancellationToken);
        var refused = await store.TryReserveAsync(s_daily, "c", 18.8m, TestContext.Current.CancellationToken);
        var granted = await store.TryReserveAsync(s_daily, "c", 18.765432109m, TestContext.Current.CancellationToken);

        Assert.False(refused.IsGranted);
        Assert.Equal(1.234567891m, refused.Usage.Spent);
        Assert.Equal(0m, refused.Usage.Reserved);
        Assert.True(granted.IsGranted);
        Assert.Equal(new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1), granted.Usage.ResetsAt);
    }

    [Fact]
    public async Task Reservation_OfAProcessThatDied_ExpiresAfterTheReservationTimeout()
    {
        var store = Store(TimeSpan.FromMilliseconds(300));
        var held = await store.TryReserveAsync(s_daily, "c", 15m, TestContext.Current.CancellationToken);

        var whileHeld = await store.TryReserveAsync(s_daily, "c", 10m, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, TestContext.Current.CancellationToken);
        var afterExpiry = await store.TryReserveAsync(s_daily, "c", 10m, TestContext.Current.CancellationToken);

        Assert.True(held.IsGranted);
        Assert.False(whileHeld.IsGranted);
        Assert.True(afterExpiry.IsGranted);
        Assert.Equal(0m, afterExpiry.Usage.Reserved);
    }

    [Fact]
    public async Task Keys_ExpireWhenThePeriodEndsPlusTheReservationTimeout()
    {
        var prefix = "budget-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var store = new RedisBudgetStore(redis.Connection, new RedisStateOptions { KeyPrefix = prefix, ReservationTimeout = TimeSpan.FromMinutes(10) });
        var reservation = await store.TryReserveAsync(s_daily, "c", 1m, TestContext.Current.CancellationToken);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(prefix + "budget:{" + reservation.BucketKey + "}");

        var expected = reservation.Usage.ResetsAt!.Value + TimeSpan.FromMinutes(10) - TimeProvider.System.GetUtcNow();
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, expected - TimeSpan.FromSeconds(5), expected + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RollingWindow_ForgetsSpendingOlderThanTheWindow()
    {
        var store = Store();
        var rolling = new BudgetLimit { Name = "rolling", Amount = 10, Period = BudgetPeriod.Rolling, Window = TimeSpan.FromMilliseconds(400) };
        var first = await store.TryReserveAsync(rolling, "c", 8m, TestContext.Current.CancellationToken);
        await store.SettleAsync(first, 8m, TestContext.Current.CancellationToken);

        var within = await store.TryReserveAsync(rolling, "c", 8m, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(600), TimeProvider.System, TestContext.Current.CancellationToken);
        var after = await store.TryReserveAsync(rolling, "c", 8m, TestContext.Current.CancellationToken);

        Assert.False(within.IsGranted);
        Assert.True(after.IsGranted);
        Assert.Null(after.Usage.ResetsAt);
    }

    [Fact]
    public async Task RedisDown_DefaultPolicy_RefusesWithUnavailableNamingRedis_LogsOnce_CountsEach()
    {
        using var dead = DeadRedis.Connect();
        var logger = new FakeLogger<RedisBudgetStore>();
        using var fallbacks = new MetricCollector<long>(null, RedisTelemetryNames.MeterName, RedisTelemetryNames.FallbackInstrument);
        var store = new RedisBudgetStore(dead, new RedisStateOptions(), logger);

        for (var i = 0; i < 3; i++)
        {
            var ex = await Assert.ThrowsAsync<ChatProviderException>(() => store.TryReserveAsync(s_daily, "c", 1m, TestContext.Current.CancellationToken).AsTask());
            Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
            Assert.Equal("redis", ex.ProviderName);
            Assert.Contains("Redis", ex.Message, StringComparison.Ordinal);
            Assert.Contains("AI:Redis:Failure:Budget", ex.Message, StringComparison.Ordinal);
        }

        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Name == "RedisFallback");
        // The counter is process-wide: other concerns' tests of a dead Redis (key cool-downs, routing) run beside this one.
        var measurements = fallbacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags[RedisTelemetryNames.ConcernTag], "budget")).ToList();
        Assert.Equal(3, measurements.Count);
    }

    [Fact]
    public async Task RedisDown_FallBackToLocal_BudgetsInThisProcess()
    {
        using var dead = DeadRedis.Connect();
        var store = new RedisBudgetStore(dead, new RedisStateOptions { BudgetFailure = RedisFailurePolicy.FallBackToLocal });

        var first = await store.TryReserveAsync(s_daily, "c", 15m, TestContext.Current.CancellationToken);
        var second = await store.TryReserveAsync(s_daily, "c", 15m, TestContext.Current.CancellationToken);
        await store.ReleaseAsync(first, TestContext.Current.CancellationToken);
        var third = await store.TryReserveAsync(s_daily, "c", 15m, TestContext.Current.CancellationToken);

        Assert.True(first.IsGranted);
        Assert.False(second.IsGranted);
        Assert.True(third.IsGranted);
    }
}
