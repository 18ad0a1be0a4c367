// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Batch;

/// <summary>One request of a batch: its messages, its optional <see cref="ChatOptions"/> and an optional id.</summary>
/// <remarks>
/// Items may share one <see cref="ChatOptions"/> instance: the batch never changes it, and the configured middleware
/// clones options before changing them. Immutable once built.
/// </remarks>
public sealed class ChatBatchItem
{
    /// <summary>Initializes a new instance of the <see cref="ChatBatchItem"/> class from messages.</summary>
    /// <param name="messages">The conversation to send.</param>
    /// <param name="options">The options of this request, or <see langword="null"/>.</param>
    /// <param name="id">The caller's id of the item, or <see langword="null"/> to use its position in the batch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="messages"/> is empty or holds a null message.</exception>
    public ChatBatchItem(IEnumerable<ChatMessage> messages, ChatOptions? options = null, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatMessage[] copy = [.. messages];
        if (copy.Length == 0)
        {
            throw new ArgumentException("A batch item needs at least one message.", nameof(messages));
        }

        if (Array.IndexOf(copy, null) >= 0)
        {
            throw new ArgumentException("A batch item's messages must not contain null.", nameof(messages));
        }

        Messages = copy;
        Options = options;
        Id = id;
    }

    /// <summary>Initializes a new instance of the <see cref="ChatBatchItem"/> class from one user prompt.</summary>
    /// <param name="prompt">The user's prompt.</param>
    /// <param name="options">The options of this request, or <see langword="null"/>.</param>
    /// <param name="id">The caller's id of the item, or <see langword="null"/> to use its position in the batch.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public ChatBatchItem(string prompt, ChatOptions? options = null, string? id = null)
        : this([new ChatMessage(ChatRole.User, prompt ?? throw new ArgumentNullException(nameof(prompt)))], options, id)
    {
    }

    /// <summary>Gets the caller's id of the item, or <see langword="null"/>.</summary>
    public string? Id { get; }

    /// <summary>Gets the conversation to send.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Gets the options of this request, or <see langword="null"/>.</summary>
    public ChatOptions? Options { get; }
}
