// Licensed under the MIT License.

using System.Globalization;
using System.Runtime.ExceptionServices;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch.Internal;

/// <summary>One run of a batch: workers claim items in input order under one lock that also keeps the counters consistent.</summary>
internal sealed class ChatBatchRun : IDisposable
{
    private readonly IChatClient _client;
    private readonly ChatBatchItem[] _items;
    private readonly ChatBatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ChatBatchItemResult?[] _results;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _callbackGate = new(1, 1);
    private long _started;
    private int _next;
    private int _succeeded;
    private int _failed;
    private int _inFlight;
    private long _inputTokens;
    private long _outputTokens;
    private decimal _cost;
    private ChatBatchStopReason _stopReason;
    private Exception? _stopError;
    private ExceptionDispatchInfo? _callbackError;

    public ChatBatchRun(IChatClient client, ChatBatchItem[] items, ChatBatchOptions options)
    {
        _client = client;
        _items = items;
        _options = options;
        _time = options.TimeProvider;
        _results = new ChatBatchItemResult?[items.Length];
    }

    public async Task<ChatBatchResult> RunAsync(CancellationToken cancellationToken)
    {
        _started = _time.GetTimestamp();
        Report();
        var workers = new Task[Math.Min(_options.MaxConcurrency, _items.Length)];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        _callbackError?.Throw();

        var result = BuildResult(cancellationToken.IsCancellationRequested);
        Report();
        if (cancellationToken.IsCancellationRequested)
        {
            throw new ChatBatchCanceledException(result, cancellationToken);
        }

        return result;
    }

    public void Dispose() => _callbackGate.Dispose();

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (TryClaim(cancellationToken, out var index))
        {
            Report();
            var result = await RunItemAsync(index, cancellationToken).ConfigureAwait(false);
            Record(result);
            Report();
            if (_options.ItemCompleted is { } callback)
            {
                await InvokeCallbackAsync(callback, result).ConfigureAwait(false);
            }
        }
    }

    private bool TryClaim(CancellationToken cancellationToken, out int index)
    {
        lock (_lock)
        {
            if (_stopReason != ChatBatchStopReason.None || cancellationToken.IsCancellationRequested || _next >= _items.Length)
            {
                index = -1;
                return false;
            }

            index = _next++;
            _inFlight++;
            return true;
        }
    }

    private async Task<ChatBatchItemResult> RunItemAsync(int index, CancellationToken cancellationToken)
    {
        var item = _items[index];
        var id = item.Id ?? index.ToString(CultureInfo.InvariantCulture);
        var started = _time.GetTimestamp();
        try
        {
            var response = await _client.GetResponseAsync(item.Messages, item.Options, cancellationToken).ConfigureAwait(false);
            return new ChatBatchItemResult
            {
                Index = index,
                Id = id,
                Status = ChatBatchItemStatus.Succeeded,
                Response = response,
                Cost = response.GetCost(),
                Duration = _time.GetElapsedTime(started),
            };
        }
        catch (BudgetExceededException ex)
        {
            // Nothing was sent for this item: it is not run, and so are the items after it.
            Stop(ChatBatchStopReason.BudgetExceeded, ex);
            return new ChatBatchItemResult
            {
                Index = index,
                Id = id,
                Status = ChatBatchItemStatus.NotRun,
                NotRunReason = ChatBatchStopReason.BudgetExceeded,
                Error = ex,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new ChatBatchItemResult
            {
                Index = index,
                Id = id,
                Status = ChatBatchItemStatus.Cancelled,
                Duration = _time.GetElapsedTime(started),
            };
        }
#pragma warning disable CA1031 // An item's failure, whatever its type, is that item's result: it must not end the batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_options.ContinueOnError)
            {
                Stop(ChatBatchStopReason.Error, ex);
            }

            return new ChatBatchItemResult
            {
                Index = index,
                Id = id,
                Status = ChatBatchItemStatus.Failed,
                Error = ex,
                Duration = _time.GetElapsedTime(started),
            };
        }
    }

    private async Task InvokeCallbackAsync(Func<ChatBatchItemResult, ValueTask> callback, ChatBatchItemResult result)
    {
        // Not cancellable: an item that ended is recorded even when the batch is being cancelled.
        await _callbackGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await callback(result).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Rethrown by RunAsync once the workers have stopped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                _callbackError ??= ExceptionDispatchInfo.Capture(ex);
            }

            Stop(ChatBatchStopReason.Error, ex);
        }
        finally
        {
            _callbackGate.Release();
        }
    }

    private void Stop(ChatBatchStopReason reason, Exception error)
    {
        lock (_lock)
        {
            if (_stopReason == ChatBatchStopReason.None)
            {
                _stopReason = reason;
                _stopError = error;
            }
        }
    }

    private void Record(ChatBatchItemResult result)
    {
        lock (_lock)
        {
            _results[result.Index] = result;
            _inFlight--;
            switch (result.Status)
            {
                case ChatBatchItemStatus.Succeeded:
                    _succeeded++;
                    _inputTokens += result.Response!.Usage?.InputTokenCount ?? 0;
                    _outputTokens += result.Response.Usage?.OutputTokenCount ?? 0;
                    _cost += result.Cost?.Total ?? 0;
                    break;
                case ChatBatchItemStatus.Failed:
                    _failed++;
                    break;
            }
        }
    }

    private void Report()
    {
        if (_options.Progress is not { } progress)
        {
            return;
        }

        ChatBatchProgress snapshot;
        lock (_lock)
        {
            var elapsed = _time.GetElapsedTime(_started);
            var done = _succeeded + _failed;
            var left = _stopReason == ChatBatchStopReason.None ? _items.Length - done : _inFlight;
            snapshot = new ChatBatchProgress
            {
                Total = _items.Length,
                Succeeded = _succeeded,
                Failed = _failed,
                InFlight = _inFlight,
                InputTokens = _inputTokens,
                OutputTokens = _outputTokens,
                Cost = _cost,
                Elapsed = elapsed,
                EstimatedRemaining = done == 0 ? null : left <= 0 ? TimeSpan.Zero : elapsed / done * left,
                StopReason = _stopReason,
            };
        }

        progress.Report(snapshot);
    }

    private ChatBatchResult BuildResult(bool cancelled)
    {
        lock (_lock)
        {
            var reason = cancelled && _stopReason == ChatBatchStopReason.None ? ChatBatchStopReason.Cancelled : _stopReason;
            var items = new ChatBatchItemResult[_items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = _results[i] ?? new ChatBatchItemResult
                {
                    Index = i,
                    Id = _items[i].Id ?? i.ToString(CultureInfo.InvariantCulture),
                    Status = ChatBatchItemStatus.NotRun,
                    NotRunReason = reason,
                };
            }

            return new ChatBatchResult
            {
                Items = items,
                StopReason = reason,
                StopError = _stopError,
                Usage = new UsageDetails
                {
                    InputTokenCount = _inputTokens,
                    OutputTokenCount = _outputTokens,
                    TotalTokenCount = _inputTokens + _outputTokens,
                },
                Cost = _cost,
                Elapsed = _time.GetElapsedTime(_started),
            };
        }
    }
}
