// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Anthropic.Internal.Dto;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>
/// The API's rule for a tool loop with extended thinking: the final assistant message, when it holds <c>tool_use</c>, must
/// start with its <c>thinking</c> (or <c>redacted_thinking</c>) block, sent back unchanged, or the call is refused (400
/// "Expected `thinking` or `redacted_thinking`, but found `tool_use`"). A conversation that comes from another provider
/// (a fallback mid tool loop) has no such block: Anthropic's own thinking is the only kind it verifies, and another
/// provider's is left out (<see cref="Native.ProviderState"/>). The request is then sent without thinking, as the API
/// advises; thinking comes back on the next turn.
/// </summary>
internal static class AnthropicThinkingReplay
{
    /// <summary>Turns thinking off for this request when the final assistant message calls tools without its thinking block.</summary>
    /// <param name="request">The request, with its messages mapped.</param>
    /// <returns><see langword="true"/> when thinking was turned off.</returns>
    public static bool Apply(MessagesRequest request)
    {
        if (request.Thinking is not { Type: "enabled" or "adaptive" })
        {
            return false;
        }

        for (var i = request.Messages.Count - 1; i >= 0; i--)
        {
            var message = request.Messages[i];
            if (message.Role != "assistant")
            {
                continue;
            }

            if (message.Blocks.Count == 0 || !message.Blocks.Exists(static b => TypeOf(b) is "tool_use") ||
                TypeOf(message.Blocks[0]) is "thinking" or "redacted_thinking")
            {
                return false;
            }

            request.Thinking = null;
            return true;
        }

        return false;
    }

    private static string? TypeOf(RequestBlock block) =>
        block.Type ?? (block.Raw is { } raw && raw.TryGetValue("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null);
}
