// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting.Tests.Allocations;

/// <summary>A provider that answers at once, with usage and a dated model name so that cost accounting prices the call.</summary>
internal sealed class AllocationProvider(int updates = AllocationProvider.DefaultUpdates) : IChatClient
{
    public const string Model = "gpt-4o-mini";
    public const int DefaultUpdates = 50;

    private static readonly ChatClientMetadata s_metadata = new("free", new Uri("http://free.invalid/"), Model);

    public int Updates => updates;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello! How can I assist you today?"))
        {
            ModelId = "gpt-4o-mini-2024-07-18",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 9, TotalTokenCount = 17 },
        });

#pragma warning disable CS1998 // Completes synchronously on purpose.
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        for (var i = 0; i < updates - 1; i++)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "word ") { ModelId = "gpt-4o-mini-2024-07-18", ResponseId = "r", MessageId = "r" };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 8, OutputTokenCount = 49, TotalTokenCount = 57 })])
        {
            ModelId = "gpt-4o-mini-2024-07-18",
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
