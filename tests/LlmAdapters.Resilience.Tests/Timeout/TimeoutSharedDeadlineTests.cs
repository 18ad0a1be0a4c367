// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Timeout;

/// <summary>
/// The configured limits run on one timer per client (issue 24, item 3): calls share it through the client's deadline queue
/// and reuse their cancellation sources, and none of that may cancel the wrong call or lose an expiry.
/// </summary>
public sealed class TimeoutSharedDeadlineTests
{
    private readonly CountingTimeProvider _time = new();

    private TimeoutChatClient Create(IChatClient inner, TimeSpan? timeout, TimeSpan? firstUpdate = null) =>
        new(inner, new TimeoutChatClientOptions { Timeout = timeout, FirstUpdateTimeout = firstUpdate, TimeProvider = _time });

    /// <summary>A client whose calls wait for the delay the test sets before each call, on the fake clock.</summary>
    private TestChatClient Waiting(Func<TimeSpan> delay, List<CancellationToken>? tokens = null) => new()
    {
        Metadata = new ChatClientMetadata("fake", null, "m"),
        GetResponseAsyncCallback = async (_, _, ct) =>
        {
            tokens?.Add(ct);
            await Task.Delay(delay(), _time, ct);
            return Response("ok");
        },
    };

    [Fact]
    public async Task ConfiguredLimit_ManyCalls_OneTimerForTheClientNotOnePerCall()
    {
        using var client = Create(Waiting(() => TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3));
        var before = _time.TimersCreated;

        for (var i = 0; i < 20; i++)
        {
            await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));
        }

        // Each call's own wait is one Task.Delay timer; the limits add none per call (they were created with the client).
        Assert.Equal(20, _time.TimersCreated - before);
    }

    [Fact]
    public async Task ReusedSource_StaleDeadlineOfAnEndedCall_DoesNotCancelTheNextCall()
    {
        var delay = TimeSpan.FromSeconds(1);
        var tokens = new List<CancellationToken>();
        using var client = Create(Waiting(() => delay, tokens), TimeSpan.FromSeconds(5));
        var start = _time.GetUtcNow();

        // Call A ends at 1 s; its deadline (5 s) stays queued. Call B starts at 2 s and needs 4 s (ends at 6 s, its deadline is 7 s).
        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));
        _time.Advance(TimeSpan.FromSeconds(1));
        delay = TimeSpan.FromSeconds(4);
        var b = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));

        Assert.Equal("ok", b.Text);
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(6.5));
        Assert.Equal(2, tokens.Count);
        Assert.False(tokens[1].IsCancellationRequested);
    }

    [Fact]
    public async Task ReusedSource_NextCallStillExpiresOnItsOwnDeadline()
    {
        var delay = TimeSpan.FromSeconds(1);
        using var client = Create(Waiting(() => delay), TimeSpan.FromSeconds(5));
        var start = _time.GetUtcNow();

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));
        _time.Advance(TimeSpan.FromSeconds(1));
        delay = TimeSpan.FromSeconds(30);
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250)));

        // Started at about 2 s with a 5 s limit: expired at 7 s, not at the stale 5 s and not never.
        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7.5));
    }

    [Fact]
    public async Task ConcurrentCalls_OnlyTheSlowOnesExpire_EachAtItsOwnDeadline()
    {
        // Ten calls started 300 ms apart with a 2 s limit; the odd ones need 10 s, the even ones 1 s.
        var calls = 0;
        using var client = Create(
            Waiting(() => Interlocked.Increment(ref calls) % 2 == 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10)),
            TimeSpan.FromSeconds(2));
        var start = _time.GetUtcNow();
        var started = new List<(Task<ChatResponse> Task, DateTimeOffset At)>();
        var ended = new Dictionary<Task<ChatResponse>, DateTimeOffset>();
        for (var i = 0; i < 10; i++)
        {
            var task = client.GetResponseAsync(Prompt());
            started.Add((task, _time.GetUtcNow()));
            _ = task.ContinueWith(t => { lock (ended) { ended[t] = _time.GetUtcNow(); } }, TaskScheduler.Default);
            await SettleAsync();
            _time.Advance(TimeSpan.FromMilliseconds(300));
        }

        await _time.DriveAsync(Task.WhenAll(started.Select(s => (Task)s.Task).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))), TimeSpan.FromMilliseconds(100));

        for (var i = 0; i < started.Count; i++)
        {
            var (task, at) = started[i];
            await SettleAsync(task);
            if (i % 2 == 0)
            {
                Assert.Equal("ok", (await task).Text);
            }
            else
            {
                var ex = await Assert.ThrowsAsync<ChatProviderException>(() => task);
                Assert.Equal("local_attempt_timeout", ex.ErrorCode);
                lock (ended)
                {
                    // At its own deadline (2 s after its start), give or take the driver's step.
                    Assert.InRange(ended[task] - at, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.3));
                }
            }
        }

        Assert.True(_time.GetUtcNow() - start < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CallerCancels_SourceIsNotReused_NextCallRunsUncancelled()
    {
        var delay = TimeSpan.FromSeconds(30);
        var tokens = new List<CancellationToken>();
        using var client = Create(Waiting(() => delay, tokens), TimeSpan.FromSeconds(60));
        using var cts = new CancellationTokenSource();

        var first = client.GetResponseAsync(Prompt(), cancellationToken: cts.Token);
        await SettleAsync(first);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        delay = TimeSpan.FromSeconds(1);
        var second = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));

        Assert.Equal("ok", second.Text);
        Assert.True(tokens[0].IsCancellationRequested);
        Assert.False(tokens[1].IsCancellationRequested);
    }

    [Fact]
    public async Task Stream_FirstUpdateThenTotal_SharedQueues_ExpireByScope()
    {
        // Stream 1: first update at 1 s, then one every 3 s; total 8 s, first update 2 s: ends on the total after u0, u1, u2.
        // Stream 2 (same client, so the same queues and a reused source): no first update within 2 s.
        var slowFirst = false;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => slowFirst
                ? SlowStream(TimeSpan.FromSeconds(5), TimeSpan.Zero, 2, ct)
                : SlowStream(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 6, ct),
        };
        using var client = Create(inner, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(2));
        var received = new List<ChatResponseUpdate>();

        var total = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt()), received), TimeSpan.FromMilliseconds(250)));
        slowFirst = true;
        var first = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt())), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_attempt_timeout", total.ErrorCode);
        Assert.Equal(["u0", "u1", "u2"], received.Select(u => u.Text));
        Assert.Equal("local_first_update_timeout", first.ErrorCode);
    }

    [Fact]
    public void DeadlineQueue_Resolution_IsAThousandthOfTheLimitBetween1And100Ms()
    {
        using var small = new DeadlineQueue(TimeSpan.FromMilliseconds(200), DeadlineQueue.TotalScope, _time);
        using var middle = new DeadlineQueue(TimeSpan.FromSeconds(30), DeadlineQueue.TotalScope, _time);
        using var large = new DeadlineQueue(TimeSpan.FromMinutes(10), DeadlineQueue.TotalScope, _time);

        Assert.Equal(TimeSpan.FromMilliseconds(1), small.Resolution);
        Assert.Equal(TimeSpan.FromMilliseconds(30), middle.Resolution);
        Assert.Equal(TimeSpan.FromMilliseconds(100), large.Resolution);
    }

    [Fact]
    public void DeadlineQueue_BusyQueue_ServesCloseDeadlinesTogetherWithinTheResolution()
    {
        // Limit 10 s, resolution 10 ms. Entry A at 0, entry B at 3 ms: the timer fires at 10 s for A, and B (due 3 ms later,
        // closer than the resolution) is served by the next firing, 10 ms later, not by one of its own 3 ms later.
        using var queue = new DeadlineQueue(TimeSpan.FromSeconds(10), DeadlineQueue.TotalScope, _time);
        var a = new DeadlineSource();
        var b = new DeadlineSource();
        queue.Add(a, a.Start(firstUpdatePending: false), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(3));
        queue.Add(b, b.Start(firstUpdatePending: false), _time.GetTimestamp());

        _time.Advance(TimeSpan.FromMilliseconds(9_997));
        Assert.True(a.IsCancellationRequested);
        Assert.False(b.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(3));
        Assert.False(b.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(7));
        Assert.True(b.IsCancellationRequested);
        Assert.Equal(DeadlineQueue.TotalScope, b.ExpiredScope);
    }

    [Fact]
    public void DeadlineSource_EndedUse_CannotBeExpiredByItsOldTicket()
    {
        using var queue = new DeadlineQueue(TimeSpan.FromSeconds(1), DeadlineQueue.TotalScope, _time);
        var source = new DeadlineSource();
        var first = source.Start(firstUpdatePending: false);
        queue.Add(source, first, _time.GetTimestamp());

        Assert.True(source.TryEnd(first));
        Assert.True(source.TryReset());
        var second = source.Start(firstUpdatePending: false);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotEqual(first, second);
        Assert.False(source.IsCancellationRequested);
        Assert.False(source.TryExpire(first, DeadlineQueue.TotalScope));
        Assert.True(source.TryExpire(second, DeadlineQueue.TotalScope));
        Assert.False(source.TryEnd(second));
    }

    private async IAsyncEnumerable<ChatResponseUpdate> SlowStream(TimeSpan firstDelay, TimeSpan nextDelay, int count, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(i == 0 ? firstDelay : nextDelay, _time, ct);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "u" + i);
        }
    }

    /// <summary>A fake clock that counts the timers created on it.</summary>
    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
