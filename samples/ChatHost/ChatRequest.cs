// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The body of <c>POST /chat/{client}</c> and <c>POST /chat/{client}/stream</c>: a conversation
/// (<c>{"messages":[{"role":"user","content":"..."}]}</c>), a single prompt (<c>{"prompt":"..."}</c>), or both (the
/// prompt is then the last user message).
/// </summary>
internal sealed class ChatRequest
{
    /// <summary>Gets the conversation so far, oldest first.</summary>
    public IReadOnlyList<ChatRequestMessage>? Messages { get; init; }

    /// <summary>Gets a prompt sent as the last user message.</summary>
    public string? Prompt { get; init; }
}
