// Licensed under the MIT License.

using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>
/// The API's rule for a tool loop with extended thinking: the final assistant message, when it holds <c>tool_use</c>, must
/// start with its <c>thinking</c> (or <c>redacted_thinking</c>) block, sent back unchanged, or the call is refused (400
/// "Expected `thinking` or `redacted_thinking`, but found `tool_use`"). A tool loop that moved here from another provider
/// (a fallback mid-turn) has no such block: Anthropic's own thinking is the only kind it verifies, and another provider's is
/// left out (<see cref="ProviderState"/>). That call is then sent without thinking, as the API advises; thinking comes back
/// on the next turn. A conversation with no marks (persisted before them) is sent as it always was.
/// </summary>
internal static class AnthropicThinkingReplay
{
    /// <summary>Gets the options to send: without <see cref="ChatOptions.Reasoning"/> when the final tool turn is another origin's.</summary>
    /// <param name="messages">The conversation, as it will be mapped.</param>
    /// <param name="options">The call's options.</param>
    /// <param name="origin">This adapter's origin.</param>
    /// <returns>The options, or a copy without reasoning.</returns>
    public static ChatOptions? ForTurn(IEnumerable<ChatMessage> messages, ChatOptions? options, string origin)
    {
        if (options?.Reasoning is not { } reasoning || reasoning.Effort == ReasoningEffort.None || !ProviderState.IsForeignToolTurn(messages, origin))
        {
            return options;
        }

        var copy = options.Clone();
        copy.Reasoning = null;
        return copy;
    }
}
