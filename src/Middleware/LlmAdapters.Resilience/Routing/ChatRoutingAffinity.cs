// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>Whether a <see cref="FallbackChatClient"/> keeps a conversation on the target that served it before.</summary>
public enum ChatRoutingAffinity
{
    /// <summary>Every call is routed on its own.</summary>
    None = 0,

    /// <summary>
    /// A conversation goes first to the target that served its last turn, while that target is not cooling down: the
    /// target that holds its state (a server-side <c>ConversationId</c>, its thinking signatures, its prompt cache).
    /// A conversation is known by <c>ChatOptions.ConversationId</c>, or else by a hash of its first system and user messages.
    /// </summary>
    Conversation = 1,
}
