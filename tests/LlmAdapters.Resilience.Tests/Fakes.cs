// Licensed under the MIT License.

using System.Net;
using System.Runtime.CompilerServices;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Resilience.Tests;

/// <summary>Shared helpers: errors of each kind, scripted clients, and a driver that moves fake time while a call runs.</summary>
internal static class Fakes
{
    public static ChatProviderException Error(ChatProviderErrorKind kind, TimeSpan? retryAfter = null, string provider = "fake") =>
        new(kind, provider, "failure of kind " + kind, kind switch
        {
            ChatProviderErrorKind.RateLimited => (HttpStatusCode)429,
            ChatProviderErrorKind.Overloaded => (HttpStatusCode)529,
            ChatProviderErrorKind.Authentication => HttpStatusCode.Unauthorized,
            ChatProviderErrorKind.InvalidRequest => HttpStatusCode.BadRequest,
            _ => null,
        })
        {
            RetryAfter = retryAfter,
        };

    public static ChatResponse Response(string text, long? totalTokens = null) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = totalTokens is { } t ? new UsageDetails { TotalTokenCount = t } : null,
        };

    /// <summary>A client whose n-th call (from 0) runs the n-th behaviour; the last one repeats.</summary>
    public static TestChatClient Sequence(out List<DateTimeOffset> calls, TimeProvider time, params Func<CancellationToken, Task<ChatResponse>>[] behaviours)
    {
        var seen = new List<DateTimeOffset>();
        calls = seen;
        return new TestChatClient
        {
            Metadata = new ChatClientMetadata("fake", new Uri("http://fake"), "fake-model"),
            GetResponseAsyncCallback = (_, _, ct) =>
            {
                int n;
                lock (seen)
                {
                    n = seen.Count;
                    seen.Add(time.GetUtcNow());
                }

                return behaviours[Math.Min(n, behaviours.Length - 1)](ct);
            },
        };
    }

    public static Func<CancellationToken, Task<ChatResponse>> Fail(Exception ex) => _ => Task.FromException<ChatResponse>(ex);

    public static Func<CancellationToken, Task<ChatResponse>> Succeed(string text = "ok") => _ => Task.FromResult(Response(text));

    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(
        IEnumerable<string> chunks, Exception? failAfter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk);
        }

        if (failAfter is not null)
        {
            throw failAfter;
        }
    }

    public static async IAsyncEnumerable<ChatResponseUpdate> Failing(Exception exception)
    {
        await Task.Yield();
        throw exception;
#pragma warning disable CS0162 // Unreachable code: the iterator needs a yield.
        yield break;
#pragma warning restore CS0162
    }

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates, List<ChatResponseUpdate>? into = null)
    {
        var list = into ?? [];
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    /// <summary>Moves fake time forward in steps until the task completes (no real sleeping).</summary>
    public static async Task<T> DriveAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan? step = null, TimeSpan? limit = null)
    {
        await DriveAsync(time, (Task)task, step, limit);
        return await task;
    }

    /// <summary>Moves fake time forward in steps until the task completes (no real sleeping).</summary>
    public static async Task DriveAsync(this FakeTimeProvider time, Task task, TimeSpan? step = null, TimeSpan? limit = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(50);
        var max = limit ?? TimeSpan.FromMinutes(10);
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced <= max)
        {
            await SettleAsync(task);
            if (!task.IsCompleted)
            {
                // On a loaded machine twenty yields can pass before a cancellation's continuations have run (a timeout test
                // then saw fake time two steps past its deadline): give them a moment of real time before time moves on.
                await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, CancellationToken.None));
            }

            if (task.IsCompleted)
            {
                break;
            }

            time.Advance(s);
            advanced += s;
        }

        await SettleAsync(task);
    }

    /// <summary>Lets pending continuations run.</summary>
    public static async Task SettleAsync(Task? task = null)
    {
        for (var i = 0; i < 20 && task?.IsCompleted != true; i++)
        {
            await Task.Yield();
            Thread.Yield();
        }
    }

    public static ChatMessage[] Prompt(string text = "hello") => [new ChatMessage(ChatRole.User, text)];
}
