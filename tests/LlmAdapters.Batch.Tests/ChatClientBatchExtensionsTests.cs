// Licensed under the MIT License.

using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Batch.Tests.BatchFakes;

namespace LlmAdapters.Batch.Tests;

public sealed class ChatClientBatchExtensionsTests
{
    [Fact]
    public async Task GetBatchResponsesAsync_ItemsEndOutOfOrder_ResultsInInputOrder()
    {
        // Later items end first: item i waits until item i+1 has been reported complete.
        var reported = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var client = Client(async (prompt, ct) =>
        {
            var i = int.Parse(prompt["prompt ".Length..]);
            if (i + 1 < reported.Length)
            {
                await reported[i + 1].Task.WaitAsync(ct);
            }

            return Response("re: " + prompt);
        });
        var completionOrder = new List<int>();

        var result = await client.GetBatchResponsesAsync(Items(5), new ChatBatchOptions
        {
            MaxConcurrency = 5,
            ItemCompleted = r =>
            {
                completionOrder.Add(r.Index);
                reported[r.Index].SetResult();
                return ValueTask.CompletedTask;
            },
        });

        Assert.Equal([4, 3, 2, 1, 0], completionOrder);
        Assert.Equal(["item-0", "item-1", "item-2", "item-3", "item-4"], result.Items.Select(r => r.Id));
        Assert.Equal([0, 1, 2, 3, 4], result.Items.Select(r => r.Index));
        Assert.All(result.Items, r => Assert.Equal("re: prompt " + r.Index, r.Response!.Text));
        Assert.Equal(5, result.Succeeded);
        Assert.Equal(ChatBatchStopReason.None, result.StopReason);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_ItemsWithoutId_UseTheirIndex()
    {
        using var client = Client((prompt, _) => Task.FromResult(Response(prompt)));

        var result = await client.GetBatchResponsesAsync([new ChatBatchItem("a"), new ChatBatchItem([new ChatMessage(ChatRole.User, "b")], id: "mine")]);

        Assert.Equal(["0", "mine"], result.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task GetBatchResponsesAsync_MaxConcurrency3_NeverMoreThan3InFlight()
    {
        var inFlight = 0;
        var max = 0;
        using var client = Client(async (prompt, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref max, now);
            await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System, ct);
            Interlocked.Decrement(ref inFlight);
            return Response(prompt);
        });
        var progress = new ProgressLog();

        var result = await client.GetBatchResponsesAsync(Items(40), new ChatBatchOptions { MaxConcurrency = 3, Progress = progress });

        Assert.Equal(40, result.Succeeded);
        Assert.Equal(3, max);
        Assert.All(progress.Reports, p => Assert.InRange(p.InFlight, 0, 3));
        Assert.Contains(progress.Reports, p => p.InFlight == 3);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_SomeItemsFail_ContinuesAndReportsEachErrorWithItsKind()
    {
        using var client = Client((prompt, _) => prompt switch
        {
            "prompt 1" => Task.FromException<ChatResponse>(Error(ChatProviderErrorKind.ContentFiltered)),
            "prompt 3" => Task.FromException<ChatResponse>(new InvalidOperationException("not a provider error")),
            _ => Task.FromResult(Response(prompt)),
        });

        var result = await client.GetBatchResponsesAsync(Items(5), new ChatBatchOptions { MaxConcurrency = 1 });

        Assert.Equal([ChatBatchItemStatus.Succeeded, ChatBatchItemStatus.Failed, ChatBatchItemStatus.Succeeded, ChatBatchItemStatus.Failed, ChatBatchItemStatus.Succeeded],
            result.Items.Select(r => r.Status));
        Assert.Equal(ChatProviderErrorKind.ContentFiltered, result.Items[1].ErrorKind);
        Assert.IsType<InvalidOperationException>(result.Items[3].Error);
        Assert.Null(result.Items[3].ErrorKind);
        Assert.Null(result.Items[1].Response);
        Assert.Equal((3, 2, 0), (result.Succeeded, result.Failed, result.NotRun));
        Assert.Equal(ChatBatchStopReason.None, result.StopReason);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_StopOnFirstError_InFlightFinishNotStartedAreNotRun()
    {
        // Two in flight: item 0 fails while item 1 is still running; item 1 is let finish, items 2.. never start.
        var item1Started = new TaskCompletionSource();
        var calls = 0;
        using var client = Client(async (prompt, ct) =>
        {
            Interlocked.Increment(ref calls);
            if (prompt == "prompt 0")
            {
                await item1Started.Task.WaitAsync(ct);
                throw Error(ChatProviderErrorKind.InvalidRequest);
            }

            item1Started.TrySetResult();
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, ct);
            return Response(prompt);
        });

        var result = await client.GetBatchResponsesAsync(Items(6), new ChatBatchOptions { MaxConcurrency = 2, ContinueOnError = false });

        Assert.Equal(2, calls);
        Assert.Equal(ChatBatchStopReason.Error, result.StopReason);
        Assert.Equal(ChatProviderErrorKind.InvalidRequest, Assert.IsType<ChatProviderException>(result.StopError).Kind);
        Assert.Equal(ChatBatchItemStatus.Failed, result.Items[0].Status);
        Assert.Equal(ChatBatchItemStatus.Succeeded, result.Items[1].Status);
        Assert.All(result.Items.Skip(2), r =>
        {
            Assert.Equal(ChatBatchItemStatus.NotRun, r.Status);
            Assert.Equal(ChatBatchStopReason.Error, r.NotRunReason);
        });
    }

    [Fact]
    public async Task GetBatchResponsesAsync_ThroughCostAccounting_EachItemCarriesItsCostAndTheTotalIsTheLedgers()
    {
        var ledger = new InMemoryCostLedger();
        using var inner = Client((prompt, _) => Task.FromResult(Response(prompt, input: 1000, output: prompt.Length * 100)));
        using var client = inner.AsBuilder().UseCostAccounting(o => o.Ledger = ledger).Build();

        var result = await client.GetBatchResponsesAsync(Items(12), new ChatBatchOptions { MaxConcurrency = 4 });

        Assert.All(result.Items, r => Assert.NotNull(r.Cost));
        // gpt-4o-mini: $0.15 per million input, $0.60 per million output.
        Assert.Equal((1000 * 0.15m + "prompt 0".Length * 100 * 0.6m) / 1_000_000m, result.Items[0].Cost!.Total);
        Assert.Equal(result.Items.Sum(r => r.Cost!.Total), result.Cost);
        Assert.Equal(ledger.GetTotal().Total, result.Cost);
        Assert.Equal(12 * 1000, result.Usage.InputTokenCount);
        Assert.Equal(result.Items.Sum(r => r.Response!.Usage!.OutputTokenCount), result.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_BudgetRunsOut_StopsCleanlyAndReportsTheRestAsNotRun()
    {
        // Each call reserves its worst case (about 10 input + 100 output tokens at gpt-4o-mini prices) and spends 10 in, 20 out.
        var ledger = new InMemoryCostLedger();
        var calls = 0;
        using var inner = Client((prompt, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(Response(prompt));
        });
        var worstCase = (20 * 0.15m + 100 * 0.6m) / 1_000_000m;
        var spentPerCall = (10 * 0.15m + 20 * 0.6m) / 1_000_000m;
        using var client = inner.AsBuilder()
            .UseBudget(o => o.Limits.Add(new BudgetLimit { Name = "Daily", Amount = 7 * spentPerCall + worstCase / 2, Period = BudgetPeriod.Daily }))
            .UseCostAccounting(o => o.Ledger = ledger)
            .Build();
        var options = new ChatOptions { MaxOutputTokens = 100 };
        var items = Enumerable.Range(0, 30).Select(i => new ChatBatchItem("prompt " + i, options, "item-" + i));

        var result = await client.GetBatchResponsesAsync(items, new ChatBatchOptions { MaxConcurrency = 1 });

        Assert.Equal(ChatBatchStopReason.BudgetExceeded, result.StopReason);
        Assert.IsType<BudgetExceededException>(result.StopError);
        Assert.Equal(calls, result.Succeeded);
        Assert.InRange(result.Succeeded, 1, 29);
        Assert.Equal(30, result.Items.Count);
        Assert.All(result.Items.Take(result.Succeeded), r => Assert.Equal(ChatBatchItemStatus.Succeeded, r.Status));
        var refused = result.Items[result.Succeeded];
        Assert.Equal(ChatBatchItemStatus.NotRun, refused.Status);
        Assert.IsType<BudgetExceededException>(refused.Error);
        Assert.All(result.Items.Skip(result.Succeeded), r =>
        {
            Assert.Equal(ChatBatchItemStatus.NotRun, r.Status);
            Assert.Equal(ChatBatchStopReason.BudgetExceeded, r.NotRunReason);
        });
        Assert.Equal(ledger.GetTotal().Total, result.Cost);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_Cancelled_ThrowsWithWhichItemsFinished()
    {
        using var cts = new CancellationTokenSource();
        var finished = 0;
        using var client = Client(async (prompt, ct) =>
        {
            if (prompt == "prompt 5")
            {
                // Cancels the batch while this item is in flight: it ends as cancelled.
                await cts.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            }

            return Response(prompt);
        });
        var completed = new List<ChatBatchItemResult>();

        var ex = await Assert.ThrowsAsync<ChatBatchCanceledException>(() => client.GetBatchResponsesAsync(Items(20), new ChatBatchOptions
        {
            MaxConcurrency = 1,
            ItemCompleted = r =>
            {
                completed.Add(r);
                Interlocked.Increment(ref finished);
                return ValueTask.CompletedTask;
            },
        }, cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
        var result = ex.Result!;
        Assert.Equal(ChatBatchStopReason.Cancelled, result.StopReason);
        Assert.Equal(20, result.Items.Count);
        Assert.All(result.Items.Take(5), r => Assert.Equal(ChatBatchItemStatus.Succeeded, r.Status));
        Assert.Equal(ChatBatchItemStatus.Cancelled, result.Items[5].Status);
        Assert.All(result.Items.Skip(6), r =>
        {
            Assert.Equal(ChatBatchItemStatus.NotRun, r.Status);
            Assert.Equal(ChatBatchStopReason.Cancelled, r.NotRunReason);
        });
        // Every started item was handed to the callback, the cancelled one included, so a caller can record them.
        Assert.Equal(6, finished);
        Assert.Equal(ChatBatchItemStatus.Cancelled, completed[^1].Status);
        Assert.Contains("5 succeeded, 0 failed, 1 cancelled in flight, 14 not run", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_Progress_CountsTokensCostAndAnEtaFromThePaceSoFar()
    {
        var time = new FakeTimeProvider();
        using var inner = Client((prompt, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(10)); // each item takes 10 s of the batch's clock
            return prompt == "prompt 1"
                ? Task.FromException<ChatResponse>(Error(ChatProviderErrorKind.RateLimited))
                : Task.FromResult(Response(prompt, input: 100, output: 50));
        });
        using var client = inner.AsBuilder().UseCostAccounting().Build();
        var progress = new ProgressLog();

        var result = await client.GetBatchResponsesAsync(Items(4), new ChatBatchOptions { MaxConcurrency = 1, Progress = progress, TimeProvider = time });

        var reports = progress.Reports;
        var first = reports[0];
        Assert.Equal((4, 0, 0, 0), (first.Total, first.Done, first.InFlight, first.Failed));
        Assert.Null(first.EstimatedRemaining);

        // After two items (20 s, one failed), two are left at 10 s each.
        var afterTwo = reports.First(p => p.Done == 2);
        Assert.Equal((1, 1, 0), (afterTwo.Succeeded, afterTwo.Failed, afterTwo.InFlight));
        Assert.Equal(TimeSpan.FromSeconds(20), afterTwo.Elapsed);
        Assert.Equal(TimeSpan.FromSeconds(20), afterTwo.EstimatedRemaining);
        Assert.Equal(100, afterTwo.InputTokens);
        Assert.Equal(50, afterTwo.OutputTokens);
        Assert.Equal(result.Items[0].Cost!.Total, afterTwo.Cost);

        Assert.Contains(reports, p => p.InFlight == 1);
        var last = reports[^1];
        Assert.Equal((3, 1, 0), (last.Succeeded, last.Failed, last.InFlight));
        Assert.Equal(TimeSpan.Zero, last.EstimatedRemaining);
        Assert.Equal(result.Cost, last.Cost);
        Assert.Equal(TimeSpan.FromSeconds(40), result.Elapsed);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Items[2].Duration);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_ItemCompleted_CallsNeverOverlap()
    {
        var inside = 0;
        var overlapped = false;
        var calls = 0;
        using var client = Client(async (prompt, ct) =>
        {
            await Task.Yield();
            return Response(prompt);
        });

        await client.GetBatchResponsesAsync(Items(50), new ChatBatchOptions
        {
            MaxConcurrency = 8,
            ItemCompleted = async r =>
            {
                overlapped |= Interlocked.Increment(ref inside) > 1;
                await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System);
                Interlocked.Increment(ref calls);
                Interlocked.Decrement(ref inside);
            },
        });

        Assert.False(overlapped);
        Assert.Equal(50, calls);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_ItemCompletedThrows_StopsAndRethrows()
    {
        using var client = Client((prompt, _) => Task.FromResult(Response(prompt)));
        var calls = 0;

        var ex = await Assert.ThrowsAsync<IOException>(() => client.GetBatchResponsesAsync(Items(10), new ChatBatchOptions
        {
            MaxConcurrency = 1,
            ItemCompleted = _ => ++calls == 3 ? throw new IOException("disk full") : ValueTask.CompletedTask,
        }));

        Assert.Equal("disk full", ex.Message);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_Empty_ReturnsAnEmptyResult()
    {
        using var client = Client((_, _) => throw new InvalidOperationException("not called"));

        var result = await client.GetBatchResponsesAsync([]);

        Assert.Empty(result.Items);
        Assert.Equal(0m, result.Cost);
    }

    [Fact]
    public async Task GetBatchResponsesAsync_InvalidArguments_Throw()
    {
        using var client = Client((prompt, _) => Task.FromResult(Response(prompt)));

        await Assert.ThrowsAsync<ArgumentNullException>(() => ((IChatClient)null!).GetBatchResponsesAsync(Items(1)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetBatchResponsesAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetBatchResponsesAsync([null!]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetBatchResponsesAsync(Items(1), new ChatBatchOptions { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentException>(() => new ChatBatchItem(Array.Empty<ChatMessage>()));
        Assert.Throws<ArgumentNullException>(() => new ChatBatchItem((string)null!));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
