// Licensed under the MIT License.

using System.Globalization;
using LlmAdapters.Cost;
using LlmAdapters.Emulator;
using LlmAdapters.OpenAI;
using LlmAdapters.Resilience;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Batch.Tests.EndToEnd;

/// <summary>
/// A thousand items through the middleware the configured pipeline composes (Budget, CostAccounting, Retry, RateLimit)
/// onto the emulator over real HTTP, with 429s and 5xx injected along the way. The middleware's clocks are one
/// <see cref="FakeTimeProvider"/>, moved on only while no call is at the emulator, so that minutes of RPM windows and
/// Retry-After waits pass in a second or two.
/// </summary>
public sealed class EmulatorBatchTests
{
    private const int ItemCount = 1000;
    private const int Concurrency = 8;
    private const int RequestsPerMinute = 300;

    [Fact]
    public async Task Batch1000_FaultsUnderRpmLimitAndBudget_EveryItemAccountedForAndCostsMatchTheLedger()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var http = new InFlightHandler();
        using var httpClient = new HttpClient(http);
        using var adapter = Adapter(emulator, httpClient);
        var ledger = new InMemoryCostLedger();
        var options = new ChatOptions { MaxOutputTokens = 64 };

        // The budget fits about 700 items: one item's real cost, from a call outside the batch's pipeline.
        using var probeHttp = new HttpClient();
        using var priced = Adapter(emulator, probeHttp).AsBuilder().UseCostAccounting().Build();
        var oneItem = (await priced.GetResponseAsync(Prompt(500), options)).GetCost()!.Total;
        var requestsBefore = emulator.RequestCount;
        var budget = 700 * oneItem;
        var admitted = new AdmittedCalls(time);

        using var client = adapter.AsBuilder()
            .UseBudget(o =>
            {
                o.Limits.Add(new BudgetLimit { Name = "AI:Pipeline:Budget:Daily", Amount = budget, Period = BudgetPeriod.Daily });
                o.Store = new InMemoryBudgetStore(time);
            })
            .UseCostAccounting(o =>
            {
                o.Ledger = ledger;
                o.TimeProvider = time;
            })
            .UseRetry(o =>
            {
                o.MaxAttempts = 3;
                o.TimeProvider = time;
            })
            .UseRateLimiting(o =>
            {
                o.RequestsPerMinute = RequestsPerMinute;
                o.TimeProvider = time;
            })
            .Use(inner => admitted.Wrap(inner))
            .Build();

        // Faults arrive all along the run: after every 10th item a 429 (Retry-After 1 s) and a 503, after every 50th a
        // 400 that no retry fixes. Whichever requests come next take them.
        var completed = 0;
        var progress = new BatchFakes.ProgressLog();
        var batch = client.GetBatchResponsesAsync(Items(options), new ChatBatchOptions
        {
            MaxConcurrency = Concurrency,
            Progress = progress,
            TimeProvider = time,
            ItemCompleted = _ =>
            {
                var n = ++completed;
                if (n % 10 == 0)
                {
                    emulator.Faults.Enqueue(EmulatorFault.Status(429, TimeSpan.FromSeconds(1)));
                    emulator.Faults.Enqueue(EmulatorFault.Status(503));
                }

                if (n % 50 == 0)
                {
                    emulator.Faults.Enqueue(EmulatorFault.Status(400));
                }

                return ValueTask.CompletedTask;
            },
        });
        await DriveAsync(time, batch, admitted);
        var result = await batch;

        // Every item accounted for: succeeded, failed with a kind, or not run because of the budget.
        Assert.Equal(ItemCount, result.Items.Count);
        Assert.Equal(Enumerable.Range(0, ItemCount).Select(Id), result.Items.Select(r => r.Id));
        Assert.Equal(ChatBatchStopReason.BudgetExceeded, result.StopReason);
        Assert.All(result.Items, r =>
        {
            switch (r.Status)
            {
                case ChatBatchItemStatus.Succeeded:
                    Assert.StartsWith("You said \"Summarise ticket " + r.Id, r.Response!.Text, StringComparison.Ordinal);
                    Assert.NotNull(r.Cost);
                    break;
                case ChatBatchItemStatus.Failed:
                    Assert.NotNull(r.ErrorKind);
                    break;
                case ChatBatchItemStatus.NotRun:
                    Assert.Equal(ChatBatchStopReason.BudgetExceeded, r.NotRunReason);
                    break;
                default:
                    Assert.Fail($"Item {r.Id} ended as {r.Status}.");
                    break;
            }
        });
        Assert.Equal(ItemCount, result.Succeeded + result.Failed + result.NotRun);
        Assert.True(result.Cost <= budget, $"spent {result.Cost} of {budget}");
        Assert.True(result.Succeeded >= 500 && result.NotRun >= 50, $"{result.Succeeded} succeeded, {result.NotRun} not run");
        Assert.Contains(result.Items, r => r.ErrorKind == ChatProviderErrorKind.InvalidRequest);

        // Not run means never sent: no request of the batch carried a not-run item's prompt.
        var sent = emulator.Requests.Skip(requestsBefore).Select(r => r.Body).ToList();
        var notRun = result.Items.Where(r => r.Status == ChatBatchItemStatus.NotRun).Select(r => "Summarise ticket " + r.Id).ToHashSet();
        Assert.DoesNotContain(sent, body => notRun.Any(prompt => body.Contains(prompt, StringComparison.Ordinal)));
        Assert.True(sent.Count > result.Succeeded + result.Failed, "the injected faults caused retries");

        // The concurrency bound held, and was used.
        Assert.InRange(http.MaxInFlight, 2, Concurrency);
        Assert.All(progress.Reports, p => Assert.InRange(p.InFlight, 0, Concurrency));

        // The RPM limit held in every sliding minute of the fake clock, and was what paced the run. The calls are stamped
        // just after the limiter admitted them; the clock may move on in between for at most the calls in flight, so a
        // minute may show up to that many more.
        var stamps = admitted.Stamps;
        Assert.Equal(sent.Count, stamps.Count);
        for (var i = 0; i < stamps.Count; i++)
        {
            var inWindow = stamps.Count(t => t > stamps[i] - TimeSpan.FromMinutes(1) && t <= stamps[i]);
            Assert.True(inWindow <= RequestsPerMinute + Concurrency, $"{inWindow} requests in the minute up to {stamps[i]:O}");
        }

        Assert.True(stamps[^1] - stamps[0] >= TimeSpan.FromMinutes(2), $"the run took {stamps[^1] - stamps[0]} of fake time");

        // The batch's cost total is the ledger's, call for call.
        Assert.Equal(ledger.GetTotal().Total, result.Cost);
        Assert.Equal(ledger.GetTotal().Calls, result.Succeeded);
        Assert.Equal(result.Items.Where(r => r.Cost is not null).Sum(r => r.Cost!.Total), result.Cost);
        Assert.Equal(result.Cost, progress.Reports[^1].Cost);
    }

    [Fact]
    public async Task Batch1000_CancelledThenResumed_EveryItemSentOnceAndCostsAddUp()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        using var httpClient = new HttpClient();
        using var adapter = Adapter(emulator, httpClient);
        var ledger = new InMemoryCostLedger();
        using var client = adapter.AsBuilder().UseCostAccounting(o => o.Ledger = ledger).UseRetry().Build();
        var items = Items(null);

        using var cts = new CancellationTokenSource();
        var completed = 0;
        var ex = await Assert.ThrowsAsync<ChatBatchCanceledException>(() => client.GetBatchResponsesAsync(items, new ChatBatchOptions
        {
            MaxConcurrency = Concurrency,
            ItemCompleted = _ =>
            {
                if (++completed == 400)
                {
                    cts.Cancel();
                }

                return ValueTask.CompletedTask;
            },
        }, cts.Token));
        var first = ex.Result!;
        var requestsOfFirstRun = emulator.RequestCount;

        Assert.Equal(ChatBatchStopReason.Cancelled, first.StopReason);
        Assert.InRange(first.Succeeded, 400, 400 + Concurrency);
        Assert.Equal(ItemCount, first.Succeeded + first.Cancelled + first.NotRun);
        Assert.All(first.Items.Where(r => r.Status == ChatBatchItemStatus.NotRun), r => Assert.Equal(ChatBatchStopReason.Cancelled, r.NotRunReason));

        // Resume: send again only what did not succeed.
        var done = first.Items.Where(r => r.Status == ChatBatchItemStatus.Succeeded).Select(r => r.Id).ToHashSet();
        var second = await client.GetBatchResponsesAsync(items.Where(i => !done.Contains(i.Id!)), new ChatBatchOptions { MaxConcurrency = Concurrency });

        Assert.Equal(ItemCount - done.Count, second.Items.Count);
        Assert.Equal(second.Items.Count, second.Succeeded);
        var all = first.Items.Where(r => r.Status == ChatBatchItemStatus.Succeeded).Concat(second.Items).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, ItemCount).Select(Id), all.Select(r => r.Id));

        // The resumed run sent none of the items that had succeeded.
        var resent = emulator.Requests.Skip(requestsOfFirstRun).Select(r => r.Body).ToList();
        Assert.Equal(second.Items.Count, resent.Count);
        Assert.DoesNotContain(resent, body => done.Any(id => body.Contains("Summarise ticket " + id, StringComparison.Ordinal)));

        // Cancelled calls were never priced; the two runs together cost what the ledger holds.
        Assert.Equal(ledger.GetTotal().Total, first.Cost + second.Cost);
        Assert.Equal(ItemCount, ledger.GetTotal().Calls);
    }

    private static OpenAICompatibleChatClient Adapter(EmulatorServer emulator, HttpClient httpClient) =>
        new(new OpenAICompatibleChatClientOptions { Endpoint = emulator.OpenAIEndpoint, Model = "gpt-4o-mini", ApiKey = "emulator" }, httpClient);

    private static string Id(int i) => i.ToString("D4", CultureInfo.InvariantCulture);

    private static ChatMessage[] Prompt(int i) => [new ChatMessage(ChatRole.User, "Summarise ticket " + Id(i) + " in one line.")];

    private static ChatBatchItem[] Items(ChatOptions? options) =>
        [.. Enumerable.Range(0, ItemCount).Select(i => new ChatBatchItem(Prompt(i), options, Id(i)))];

    /// <summary>Moves the fake clock on by half a second whenever no call is at the emulator, until the batch ends.</summary>
    private static async Task DriveAsync(FakeTimeProvider time, Task batch, AdmittedCalls admitted)
    {
        var limit = TimeProvider.System.GetTimestamp();
        while (!batch.IsCompleted)
        {
            await Task.WhenAny(batch, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System));
            if (admitted.InFlight == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(500));
            }

            Assert.True(TimeProvider.System.GetElapsedTime(limit) < TimeSpan.FromMinutes(2), "the batch did not end");
        }
    }

    /// <summary>Sits just inside the rate limiter: stamps each admitted call with the fake clock and counts those in flight.</summary>
    private sealed class AdmittedCalls(TimeProvider time)
    {
        private readonly List<DateTimeOffset> _stamps = [];
        private int _inFlight;

        public int InFlight => Volatile.Read(ref _inFlight);

        public IReadOnlyList<DateTimeOffset> Stamps
        {
            get
            {
                lock (_stamps)
                {
                    return [.. _stamps.Order()];
                }
            }
        }

        public IChatClient Wrap(IChatClient inner) => new Recorder(inner, this);

        private sealed class Recorder(IChatClient inner, AdmittedCalls calls) : DelegatingChatClient(inner)
        {
            public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref calls._inFlight);
                lock (calls._stamps)
                {
                    calls._stamps.Add(calls.Time.GetUtcNow());
                }

                try
                {
                    return await base.GetResponseAsync(messages, options, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref calls._inFlight);
                }
            }
        }

        private TimeProvider Time => time;
    }
}
