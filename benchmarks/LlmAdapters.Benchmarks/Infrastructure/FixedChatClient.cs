// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// A provider that costs next to nothing: a fixed answer with usage, or a stream of <c>updateCount</c> text updates whose
/// last one carries the finish reason and a <see cref="UsageContent"/>. Each call builds new objects, as an adapter would.
/// </summary>
internal sealed class FixedChatClient(int updateCount) : IChatClient
{
    /// <summary>The model configured (and the metadata's default).</summary>
    public const string Model = "gpt-4o-mini";

    /// <summary>The model the responses name: the dated snapshot, as OpenAI returns it (recorded in openai/stream-text-usage.sse).</summary>
    public const string ResponseModel = "gpt-4o-mini-2024-07-18";

    private static readonly ChatClientMetadata s_metadata = new("bench", new Uri("http://bench.invalid/"), Model);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello! How can I assist you today?"))
        {
            ModelId = ResponseModel,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 9, TotalTokenCount = 17 },
        });

#pragma warning disable CS1998 // Completes synchronously on purpose: the provider is free, only the pipeline costs.
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        for (var i = 0; i < updateCount - 1; i++)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, Payloads.Word(i)) { ModelId = ResponseModel, ResponseId = "resp-1", MessageId = "resp-1" };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 8, OutputTokenCount = 49, TotalTokenCount = 57 })])
        {
            ModelId = ResponseModel,
            ResponseId = "resp-1",
            MessageId = "resp-1",
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null :
        serviceType == typeof(ChatClientMetadata) ? s_metadata :
        serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
