// Licensed under the MIT License.

using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Resilience.Tests.RateLimiting;

public sealed class SlidingMinuteWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Acquire_LoneReservation_LeavesExactlyOneMinuteLater()
    {
        var window = new SlidingMinuteWindow(limit: 10, queueLimit: 0, _time);
        await window.AcquireAsync(10, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        Assert.Equal(10, window.Used);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, window.Used);
    }

    [Fact]
    public async Task Acquire_ReservationsCloseTogether_NeverLeaveEarly()
    {
        var window = new SlidingMinuteWindow(limit: 2, queueLimit: 0, _time);
        await window.AcquireAsync(1, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(40));
        await window.AcquireAsync(1, CancellationToken.None);

        // One minute after the first, the second still counts, so the bucket they share does too.
        _time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(40));
        Assert.Equal(2, window.Used);
        var rejected = await window.AcquireAsync(1, CancellationToken.None);
        Assert.True(rejected.IsRejected);
        Assert.Equal(TimeSpan.FromMilliseconds(40), rejected.RetryAfter);

        _time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(0, window.Used);
    }

    [Fact]
    public async Task Acquire_Full_RejectedWithTheWaitUntilTheOldestLeaves()
    {
        var window = new SlidingMinuteWindow(limit: 3, queueLimit: 0, _time);
        await window.AcquireAsync(1, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await window.AcquireAsync(2, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        var needsOne = await window.AcquireAsync(1, CancellationToken.None);
        var needsThree = await window.AcquireAsync(3, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(45), needsOne.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(55), needsThree.RetryAfter);
        Assert.Equal(3, window.Used);
    }

    [Fact]
    public async Task Reconcile_GivesBackUnusedTokens_AndTakesMoreWhenUsageIsHigher()
    {
        var window = new SlidingMinuteWindow(limit: 100, queueLimit: 0, _time);
        var reservation = await window.AcquireAsync(60, CancellationToken.None);

        reservation = window.Reconcile(reservation, 10);
        Assert.Equal(10, window.Used);
        window.Reconcile(reservation, 30);
        Assert.Equal(30, window.Used);
    }

    [Fact]
    public async Task Reconcile_AfterTheReservationLeftTheWindow_ChangesNothing()
    {
        var window = new SlidingMinuteWindow(limit: 100, queueLimit: 0, _time);
        var old = await window.AcquireAsync(60, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(61));
        await window.AcquireAsync(5, CancellationToken.None);

        window.Reconcile(old, 0);

        Assert.Equal(5, window.Used);
    }

    [Fact]
    public async Task Acquire_AfterAPauseLongerThanTheRing_StartsEmpty()
    {
        var window = new SlidingMinuteWindow(limit: 5, queueLimit: 0, _time);
        for (var i = 0; i < 5; i++)
        {
            await window.AcquireAsync(1, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(7));
        }

        _time.Advance(TimeSpan.FromHours(3));

        Assert.Equal(0, window.Used);
        var reservation = await window.AcquireAsync(5, CancellationToken.None);
        Assert.False(reservation.IsRejected);
    }

    [Fact]
    public async Task Acquire_ManyRequestsOverSeveralMinutes_NeverMoreThanTheLimitInAnyMinute()
    {
        const int limit = 1_000;
        var window = new SlidingMinuteWindow(limit, queueLimit: 0, _time);
        var accepted = new List<DateTimeOffset>();
        var random = new Random(16);

        for (var i = 0; i < 20_000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 30)));
            var reservation = await window.AcquireAsync(1, CancellationToken.None);
            if (!reservation.IsRejected)
            {
                accepted.Add(_time.GetUtcNow());
            }
        }

        // Over every minute that starts at an accepted request, at most the limit were accepted.
        var start = 0;
        for (var end = 0; end < accepted.Count; end++)
        {
            while (accepted[end] - accepted[start] >= SlidingMinuteWindow.Window)
            {
                start++;
            }

            Assert.InRange(end - start + 1, 1, limit);
        }

        Assert.True(accepted.Count > 4 * limit, $"Only {accepted.Count} accepted: the window lets too little through.");
    }
}
