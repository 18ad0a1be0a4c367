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

    private readonly List<Call> _calls = [];

    /// <summary>
    /// A client whose n-th call (from 0) waits <paramref name="delay"/>(n) on the fake clock, recording when it started and
    /// when its token was cancelled (inside the cancellation, so at the fake time the deadline expired).
    /// </summary>
    private TestChatClient Waiting(Func<int, TimeSpan> delay) => new()
    {
        Metadata = new ChatClientMetadata("fake", null, "m"),
        GetResponseAsyncCallback = async (_, _, ct) =>
        {
            var call = new Call(_time.GetUtcNow(), ct);
            int index;
            lock (_calls)
            {
                index = _calls.Count;
                _calls.Add(call);
            }

            using var registration = ct.Register(() => call.Cancelled = _time.GetUtcNow());
            await Task.Delay(delay(index), _time, ct);
            return Response("ok");
        },
    };

    [Fact]
    public async Task ConfiguredLimit_ManyCalls_OneTimerForTheClientNotOnePerCall()
    {
        using var client = Create(Waiting(_ => TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3));
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
        // Call A ends at 1 s; its deadline (5 s) stays queued. Call B starts at about 2 s and needs 4 s (past A's stale 5 s,
        // before its own 7 s).
        using var client = Create(Waiting(n => n == 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(4)), TimeSpan.FromSeconds(5));

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));
        _time.Advance(TimeSpan.FromSeconds(1));
        var b = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));

        Assert.Equal("ok", b.Text);
        Assert.Equal(2, _calls.Count);
        Assert.Null(_calls[1].Cancelled);
        Assert.False(_calls[1].Token.IsCancellationRequested);
    }

    [Fact]
    public async Task ReusedSource_NextCallStillExpiresOnItsOwnDeadline()
    {
        using var client = Create(Waiting(n => n == 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(5));

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));
        _time.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250)));

        // Expired exactly 5 s after its own start: not at the first call's stale deadline (about 3 s after it), not never.
        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(5), _calls[1].Cancelled - _calls[1].Started);
    }

    [Fact]
    public async Task ConcurrentCalls_OnlyTheSlowOnesExpire_EachAtItsOwnDeadline()
    {
        // Ten calls started 300 ms apart with a 2 s limit; the odd ones need 10 s, the even ones 1 s.
        using var client = Create(Waiting(n => n % 2 == 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10)), TimeSpan.FromSeconds(2));
        var tasks = new List<Task<ChatResponse>>();
        for (var i = 0; i < 10; i++)
        {
            tasks.Add(client.GetResponseAsync(Prompt()));
            await SettleAsync();
            _time.Advance(TimeSpan.FromMilliseconds(300));
        }

        await _time.DriveAsync(Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))), TimeSpan.FromMilliseconds(100));

        for (var i = 0; i < tasks.Count; i++)
        {
            if (i % 2 == 0)
            {
                Assert.Equal("ok", (await tasks[i]).Text);
                Assert.Null(_calls[i].Cancelled);
            }
            else
            {
                var ex = await Assert.ThrowsAsync<ChatProviderException>(() => tasks[i]);
                Assert.Equal("local_attempt_timeout", ex.ErrorCode);

                // At its own deadline, 2 s after its start, never early. The fake clock runs a timer that an Advance passes
                // at the end of that Advance: the deadlines of calls 1 and 3 (2.3 s and 2.9 s) fall inside the 300 ms steps
                // of the start loop and are seen 100 ms late; a neighbour's deadline would be 300 ms away.
                Assert.InRange(_calls[i].Cancelled!.Value - _calls[i].Started, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.1));
            }
        }
    }

    [Fact]
    public async Task CallerCancels_SourceIsNotReused_NextCallRunsUncancelled()
    {
        using var client = Create(Waiting(n => n == 0 ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(60));
        using var cts = new CancellationTokenSource();

        var first = client.GetResponseAsync(Prompt(), cancellationToken: cts.Token);
        await SettleAsync(first);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var second = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));

        Assert.Equal("ok", second.Text);
        Assert.True(_calls[0].Token.IsCancellationRequested);
        Assert.False(_calls[1].Token.IsCancellationRequested);
        Assert.NotEqual(_calls[0].Token, _calls[1].Token);
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
    public async Task RealClock_ManyConcurrentCallsInWaves_FastOnesCompleteAndHungOnesTimeOut()
    {
        // The system clock and real concurrency: three waves of 200 calls on one client (1 s limit), so sources are reused
        // across waves. Half the calls answer at once and must never be cancelled; the other half never answer and must
        // each end with the attempt timeout. No time is asserted.
        var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("fake", null, "m"),
            GetResponseAsyncCallback = async (messages, _, ct) =>
            {
                if (messages.First().Text == "hang")
                {
                    await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
                }

                await Task.Yield();
                return Response("ok");
            },
        };
        using var client = new TimeoutChatClient(inner, new TimeoutChatClientOptions { Timeout = TimeSpan.FromSeconds(1) });

        for (var wave = 0; wave < 3; wave++)
        {
            var calls = Enumerable.Range(0, 200)
                .Select(i => (Hang: i % 2 == 1, Task: Task.Run(() => client.GetResponseAsync(Prompt(i % 2 == 1 ? "hang" : "hello")), TestContext.Current.CancellationToken)))
                .ToList();
            foreach (var (hang, task) in calls)
            {
                if (hang)
                {
                    // A deadline that never fires fails here (after 30 s) instead of hanging the run.
                    var ex = await Assert.ThrowsAsync<ChatProviderException>(() => task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System));
                    Assert.Equal("local_attempt_timeout", ex.ErrorCode);
                }
                else
                {
                    Assert.Equal("ok", (await task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System)).Text);
                }
            }
        }
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
        queue.Add(a.LimitEntry, a.Start(firstUpdatePending: false), _time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(3));
        queue.Add(b.LimitEntry, b.Start(firstUpdatePending: false), _time.GetTimestamp());

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
    public void DeadlineQueue_SteadyLoad_HoldsOnlyTheRunningCallsAndAllocatesNothing()
    {
        // A busy client: a call starts every millisecond and ends 50 ms later, with a 10 s limit. The queue holds the 50
        // running calls, not the 10,000 started within the limit, and adding and removing allocate nothing.
        using var queue = new DeadlineQueue(TimeSpan.FromSeconds(10), DeadlineQueue.TotalScope, _time);
        var sources = Enumerable.Range(0, 50).Select(_ => new DeadlineSource()).ToArray();
        var tickets = new long[sources.Length];
        long Load(int calls)
        {
            long bytes = 0;
            for (var i = 0; i < calls; i++)
            {
                var source = sources[i % sources.Length];
                var before = GC.GetAllocatedBytesForCurrentThread();
                if (source.LimitEntry.Queue is not null)
                {
                    // The call that used this source 50 ms ago ends.
                    queue.Remove(source.LimitEntry);
                    Assert.True(source.TryEnd(tickets[i % sources.Length]));
                }

                tickets[i % sources.Length] = source.Start(firstUpdatePending: false);
                queue.Add(source.LimitEntry, tickets[i % sources.Length], _time.GetTimestamp());
                bytes += GC.GetAllocatedBytesForCurrentThread() - before;
                _time.Advance(TimeSpan.FromMilliseconds(1));
            }

            return bytes;
        }

        Load(1_000);
        var perCall = Load(20_000) / 20_000.0;

        Assert.Equal(50, queue.Count);
        Assert.True(perCall == 0, $"{perCall:0.0} B per call in a steady state.");
        Assert.All(sources, s => Assert.False(s.IsCancellationRequested));
    }

    [Fact]
    public void DeadlineQueue_EntryReusedWhileItsBatchExpires_NewUseIsNotCancelled()
    {
        // Two calls fall due together. Expiring the first runs its token's callbacks; one of them ends the other call (its
        // entry already taken out for expiry), resets its source and starts that source's next use. The batch must then
        // expire the use it took out, which is over, and leave the new one alone.
        using var queue = new DeadlineQueue(TimeSpan.FromSeconds(1), DeadlineQueue.TotalScope, _time);
        var a = new DeadlineSource();
        var b = new DeadlineSource();
        var tickets = new Dictionary<DeadlineSource, long> { [a] = a.Start(firstUpdatePending: false), [b] = b.Start(firstUpdatePending: false) };
        DeadlineSource? reused = null;
        void ReuseOther(DeadlineSource other)
        {
            if (reused is null && !other.IsCancellationRequested)
            {
                reused = other;
                queue.Remove(other.LimitEntry);
                Assert.True(other.TryEnd(tickets[other]));
                Assert.True(other.TryReset());
                tickets[other] = other.Start(firstUpdatePending: false);
                queue.Add(other.LimitEntry, tickets[other], _time.GetTimestamp());
            }
        }

        using var onA = a.Token.Register(() => ReuseOther(b));
        using var onB = b.Token.Register(() => ReuseOther(a));
        queue.Add(a.LimitEntry, tickets[a], _time.GetTimestamp());
        queue.Add(b.LimitEntry, tickets[b], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(reused);
        Assert.False(reused.IsCancellationRequested);
        Assert.Equal(1, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(reused.IsCancellationRequested);
    }

    [Fact]
    public void DeadlineSource_EndedUse_CannotBeExpiredByItsOldTicket()
    {
        using var queue = new DeadlineQueue(TimeSpan.FromSeconds(1), DeadlineQueue.TotalScope, _time);
        var source = new DeadlineSource();
        var first = source.Start(firstUpdatePending: false);
        queue.Add(source.LimitEntry, first, _time.GetTimestamp());

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

    /// <summary>One call of <see cref="Waiting"/>: its token, when it started and when the token was cancelled.</summary>
    private sealed class Call(DateTimeOffset started, CancellationToken token)
    {
        public CancellationToken Token { get; } = token;

        public DateTimeOffset Started { get; } = started;

        public DateTimeOffset? Cancelled { get; set; }
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
