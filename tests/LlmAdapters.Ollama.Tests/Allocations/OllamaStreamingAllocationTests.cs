// Licensed under the MIT License.

using System.Text;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.Ollama.Tests.Allocations;

/// <summary>
/// Allocation guard for the Ollama decoder's fast path (issue 24, item 6): the bytes one more streamed text line costs, as
/// the difference between a 2,000-line and a 200-line stream divided by 1,800. No test here asserts a time.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class OllamaStreamingAllocationTests
{
    // Measured on 2026-12-07 (Debug, as the tests run), after the native kit's per-event rules stopped allocating; the guard allows 10 % more. Before the fast path: about 1.2 KB per line.
    private const long MeasuredBytesPerLine = 376;
    private const long MaxBytesPerLine = MeasuredBytesPerLine + (MeasuredBytesPerLine / 10);

    [Fact]
    public async Task GetStreamingResponseAsync_EachTextLine_AllocatesAtMostTheGuard()
    {
        var perLine = await StreamAllocation.BytesPerEventAsync(Client, "word ".Length, 200, 2_000, TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"OllamaChatClient: {perLine} B per streamed text line.");
        Assert.InRange(perLine, 1, MaxBytesPerLine);
    }

    private static OllamaChatClient Client(int lines)
    {
        var body = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            body.Append("{\"model\":\"llama3.1\",\"created_at\":\"2025-07-07T20:22:19.184789Z\",\"message\":{\"role\":\"assistant\",\"content\":\"word \"},\"done\":false}\n");
        }

        body.Append("{\"model\":\"llama3.1\",\"created_at\":\"2025-07-07T20:22:19.19314Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":11,\"eval_count\":20}\n");
        return TestSupport.CreateClient(StreamAllocation.Serve(Encoding.UTF8.GetBytes(body.ToString()), "application/x-ndjson"), o => o.Model = "llama3.1");
    }
}
