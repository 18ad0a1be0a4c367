// Licensed under the MIT License.

using System.Text;
using LlmAdapters.OpenAI.Tests.Native;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.FastPath;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Allocations;

/// <summary>
/// Allocation guard for the native OpenAI decoder's fast path (issue 24, item 6), as for the other native decoders: the bytes
/// one more streamed text chunk costs, as the difference between a 2,000-chunk and a 200-chunk stream divided by 1,800,
/// over the recorded <c>openai/stream-text-usage.sse</c> (its role chunk, text chunks made from its <c>"Hello"</c> chunk, its
/// finish, usage and <c>[DONE]</c>). No test here asserts a time.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class OpenAINativeStreamingAllocationTests
{
    // Measured on 2026-12-07 (Debug, as the tests run), after the native kit's per-event rules stopped allocating (issue 24);
    // the guard allows 10 % more. The other native decoders' guards measure the same event the same way.
    private const long MeasuredBytesPerChunk = 322;
    private const long MaxBytesPerChunk = MeasuredBytesPerChunk + (MeasuredBytesPerChunk / 10);

    [Fact]
    public async Task GetStreamingResponseAsync_EachTextChunk_AllocatesAtMostTheGuard()
    {
        var perChunk = await StreamAllocation.BytesPerEventAsync(Client, "word ".Length, 200, 2_000, TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"OpenAIChatCompletionsClient: {perChunk} B per streamed text chunk.");
        Assert.InRange(perChunk, 1, MaxBytesPerChunk);
    }

    private static IChatClient Client(int chunks)
    {
        var events = Fixture.Text("openai/stream-text-usage.sse").Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var text = Array.Find(events, e => e.Contains("\"content\":\"Hello\"", StringComparison.Ordinal))!;
        var body = new StringBuilder().Append(events[0]).Append("\n\n");
        for (var i = 0; i < chunks; i++)
        {
            body.Append(text.Replace("\"content\":\"Hello\"", "\"content\":\"word \"", StringComparison.Ordinal)).Append("\n\n");
        }

        foreach (var tail in events[^3..])
        {
            body.Append(tail).Append("\n\n");
        }

        return NativeTestClients.Create(NativeTestClients.Native, StreamAllocation.Serve(Encoding.UTF8.GetBytes(body.ToString()), "text/event-stream"));
    }
}
