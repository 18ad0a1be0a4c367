// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>One message of a <see cref="ChatRequest"/>.</summary>
internal sealed class ChatRequestMessage
{
    /// <summary>Gets the role: <c>user</c>, <c>assistant</c> or <c>system</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Gets the text.</summary>
    public string? Content { get; init; }
}
