// Licensed under the MIT License.

using System.Text;
using LlmAdapters.TestUtilities.FastPath;

namespace LlmAdapters.DashScope.Tests.Allocations;

/// <summary>
/// Allocation guard for the DashScope decoder's fast path (issue 24, item 6): the bytes one more streamed text event costs,
/// as the difference between a 2,000-event and a 200-event stream divided by 1,800. No test here asserts a time.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class DashScopeStreamingAllocationTests
{
    // Measured on 2026-12-07 (Debug, as the tests run); the guard allows 10 % more. Before the fast path: about 1.5 KB per event.
    // Above Gemini's 322 B: SseParser makes a string of each event's type (`result`), which the floor pays too.
    private const long MeasuredBytesPerEvent = 389;
    private const long MaxBytesPerEvent = MeasuredBytesPerEvent + (MeasuredBytesPerEvent / 10);

    [Fact]
    public async Task GetStreamingResponseAsync_EachTextEvent_AllocatesAtMostTheGuard()
    {
        var perEvent = await StreamAllocation.BytesPerEventAsync(Client, "word ".Length, 200, 2_000, TestContext.Current.CancellationToken);

        TestContext.Current.SendDiagnosticMessage($"DashScopeChatClient: {perEvent} B per streamed text event.");
        Assert.InRange(perEvent, 1, MaxBytesPerEvent);
    }

    private static DashScopeChatClient Client(int events)
    {
        var body = new StringBuilder();
        for (var i = 0; i <= events; i++)
        {
            var last = i == events;
            body.Append("id:").Append(i + 1).Append("\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"choices\":[{\"finish_reason\":\"")
                .Append(last ? "stop" : "null").Append("\",\"message\":{\"role\":\"assistant\",\"content\":\"")
                .Append(last ? string.Empty : "word ")
                .Append("\"}}]},\"usage\":{\"input_tokens\":11,\"output_tokens\":").Append(i + 1)
                .Append(",\"total_tokens\":").Append(12 + i).Append("},\"request_id\":\"4edb81cd-4647-9d5d-88f9-a4f30bc6d8dd\"}\n\n");
        }

        return new DashScopeChatClient(
            new DashScopeChatClientOptions { Model = "qwen-plus", ApiKey = "sk-test-0000000000000000" },
            new HttpClient(StreamAllocation.Serve(Encoding.UTF8.GetBytes(body.ToString()), "text/event-stream")));
    }
}
