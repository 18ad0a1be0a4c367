// Licensed under the MIT License.

using System.Text;
using LlmAdapters.TestUtilities;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.Gemini.Tests.Allocations;

/// <summary>
/// Allocation guard for the Gemini decoder's fast path (issue 24, item 6): the bytes one more streamed text chunk costs, as
/// the difference between a 2,000-chunk and a 200-chunk stream divided by 1,800. No test here asserts a time.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class GeminiStreamingAllocationTests
{
    // Measured on 2026-12-07 (Debug, as the tests run); the guard allows 10 % more. Before the fast path: about 2.6 KB per chunk.
    // 386 B after the merge with the hardening's per-event stream rules: their result check boxed the contents' enumerator
    // (40 B) and the terminal-event rule allocated a lambda's closure on every event (24 B); both are gone from the native kit.
    private const long MeasuredBytesPerChunk = 322;
    private const long MaxBytesPerChunk = MeasuredBytesPerChunk + (MeasuredBytesPerChunk / 10);

    [Fact]
    public async Task GetStreamingResponseAsync_EachTextChunk_AllocatesAtMostTheGuard()
    {
        var perChunk = await StreamAllocation.BytesPerEventAsync(Client, "word ".Length, 200, 2_000, TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"GeminiChatClient: {perChunk} B per streamed text chunk.");
        Assert.InRange(perChunk, 1, MaxBytesPerChunk);
    }

    private static GeminiChatClient Client(int chunks)
    {
        var events = Fixture.Text("gemini/stream-text-simple.sse").Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        var body = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            body.Append(events[0].Replace("\"text\":\"The\"", "\"text\":\"word \"", StringComparison.Ordinal)).Append("\r\n\r\n");
        }

        body.Append(events[^1]).Append("\r\n\r\n");
        return TestSupport.CreateClient(StreamAllocation.Serve(Encoding.UTF8.GetBytes(body.ToString()), "text/event-stream"));
    }
}
