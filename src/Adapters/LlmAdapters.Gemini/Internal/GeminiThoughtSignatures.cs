// Licensed under the MIT License.

using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Gemini.Internal;

/// <summary>
/// Gemini 3's rule for a tool loop: in the current turn (the model turns since the last user message that is not only
/// function results), the first function call of each step must carry the <c>thoughtSignature</c> the API gave it, or the
/// call is refused (400 INVALID_ARGUMENT "Function call is missing a thought_signature"). A call that came from another
/// origin (a fallback mid tool loop) has none: Gemini's own signatures are the only kind it verifies, and another origin's are
/// left out (<see cref="ProviderState"/>). Such a call gets the value Google documents for calls a Gemini 3 model did not make
/// (https://ai.google.dev/gemini-api/docs/thought-signatures). Calls with no mark (history persisted before marks) are sent
/// as they always were.
/// </summary>
internal static class GeminiThoughtSignatures
{
    /// <summary>The documented signature of a function call a Gemini 3 model did not make.</summary>
    public const string SkipValidator = "skip_thought_signature_validator";

    /// <summary>Gives the first call of each unsigned step of the current turn the documented signature, when that call is another origin's.</summary>
    /// <param name="messages">The conversation, after <see cref="ProviderState.ForTarget"/> (which copied every content of another origin).</param>
    /// <param name="model">The model called.</param>
    /// <param name="origin">This adapter's origin.</param>
    /// <returns>The conversation to map.</returns>
    public static IEnumerable<ChatMessage> ForCurrentTurn(IEnumerable<ChatMessage> messages, string? model, string origin)
    {
        var id = model is not null && model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
        if (id is null || !id.StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase) || !ProviderState.IsForeignToolTurn(messages, origin))
        {
            return messages;
        }

        var list = messages as IList<ChatMessage> ?? [.. messages];
        var start = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is { } m && m.Role == ChatRole.User && m.Contents.Any(static c => c is not FunctionResultContent))
            {
                start = i + 1;
                break;
            }
        }

        for (var i = start; i < list.Count; i++)
        {
            if (list[i] is not { } message || message.Role != ChatRole.Assistant ||
                message.Contents.FirstOrDefault(static c => c is FunctionCallContent) is not FunctionCallContent first ||
                message.Contents.Any(static c => c is FunctionCallContent { AdditionalProperties: { } p } && p.ContainsKey(GeminiChatClient.ThoughtSignaturePropertyName)) ||
                !ProviderState.IsForeign(first, origin))
            {
                continue;
            }

            // A copy made by ProviderState.ForTarget (the call is another origin's), so setting its property changes nothing of the caller's.
            (first.AdditionalProperties ??= [])[GeminiChatClient.ThoughtSignaturePropertyName] = SkipValidator;
        }

        return list;
    }
}
