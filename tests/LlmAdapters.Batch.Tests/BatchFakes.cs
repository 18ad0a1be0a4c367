// Licensed under the MIT License.

using System.Net;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch.Tests;

/// <summary>Scripted clients and a synchronous progress sink for the batch tests.</summary>
internal static class BatchFakes
{
    public static readonly ChatClientMetadata Metadata = new("fake", new Uri("http://fake"), "gpt-4o-mini");

    public static ChatResponse Response(string text, long input = 10, long output = 20) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };

    public static ChatProviderException Error(ChatProviderErrorKind kind) =>
        new(kind, "fake", "failure of kind " + kind, kind == ChatProviderErrorKind.RateLimited ? (HttpStatusCode)429 : HttpStatusCode.BadRequest);

    /// <summary>A client that answers each prompt with "re: prompt" through the given behaviour.</summary>
    public static TestChatClient Client(Func<string, CancellationToken, Task<ChatResponse>> behaviour) => new()
    {
        Metadata = Metadata,
        GetResponseAsyncCallback = (messages, _, ct) => behaviour(messages.Last().Text, ct),
    };

    public static ChatBatchItem[] Items(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ChatBatchItem("prompt " + i, id: "item-" + i))];

    /// <summary>Collects progress reports synchronously, in the order they were made.</summary>
    public sealed class ProgressLog : IProgress<ChatBatchProgress>
    {
        private readonly List<ChatBatchProgress> _reports = [];

        public IReadOnlyList<ChatBatchProgress> Reports
        {
            get
            {
                lock (_reports)
                {
                    return [.. _reports];
                }
            }
        }

        public void Report(ChatBatchProgress value)
        {
            lock (_reports)
            {
                _reports.Add(value);
            }
        }
    }
}
