// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting.Tests.Allocations;

/// <summary>
/// Counts the bytes a client allocates per call with <see cref="GC.GetAllocatedBytesForCurrentThread"/>, over calls that must
/// complete synchronously (the provider answers at once, so every stage must too: a call that did not would measure another thread).
/// </summary>
internal static class AllocationMeter
{
    public static long BytesPerCall(IChatClient client, List<ChatMessage> messages, int calls)
    {
        for (var i = 0; i < 200; i++)
        {
            Complete(client.GetResponseAsync(messages));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            Complete(client.GetResponseAsync(messages));
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    public static long BytesPerStream(IChatClient client, List<ChatMessage> messages, int streams, int updates)
    {
        for (var i = 0; i < 50; i++)
        {
            Drain(client, messages, updates);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < streams; i++)
        {
            Drain(client, messages, updates);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / streams;
    }

    private static void Drain(IChatClient client, List<ChatMessage> messages, int updates)
    {
        var enumerator = client.GetStreamingResponseAsync(messages).GetAsyncEnumerator();
        try
        {
            var count = 0;
            while (Complete(enumerator.MoveNextAsync()))
            {
                count++;
            }

            Assert.Equal(updates, count);
        }
        finally
        {
            Complete(enumerator.DisposeAsync());
        }
    }

    private static T Complete<T>(Task<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "The call did not complete synchronously: the measure would miss its allocations.");
        return task.Result;
    }

    private static T Complete<T>(ValueTask<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, "The call did not complete synchronously: the measure would miss its allocations.");
        return task.Result;
    }

    private static void Complete(ValueTask task)
    {
        Assert.True(task.IsCompletedSuccessfully, "The call did not complete synchronously: the measure would miss its allocations.");
    }
}
