// Licensed under the MIT License.

using LlmAdapters.Gemini.Internal.Dto;

namespace LlmAdapters.Gemini.Internal;

/// <summary>
/// Gemini 3's rule for a tool loop: in the current turn (the model turns since the last user message that is not a function
/// response), the first function call of each step must carry the <c>thoughtSignature</c> the API gave it, or the call is
/// refused (400 INVALID_ARGUMENT "Function call is missing a thought_signature"). A call that came from another provider
/// (a fallback mid tool loop) has none: Gemini's own signatures are the only kind it verifies, and another provider's are
/// left out (<see cref="Native.ProviderState"/>). Such a call gets the value Google documents for calls a Gemini 3 model did
/// not make (https://ai.google.dev/gemini-api/docs/thought-signatures), which skips the check for it.
/// </summary>
internal static class GeminiThoughtSignatures
{
    /// <summary>The documented signature of a function call a Gemini 3 model did not make.</summary>
    public const string SkipValidator = "skip_thought_signature_validator";

    /// <summary>Gives the unsigned steps of the current turn the documented signature, on Gemini 3 models.</summary>
    /// <param name="model">The model called.</param>
    /// <param name="contents">The mapped conversation.</param>
    public static void FillCurrentTurn(string model, List<GeminiContent> contents)
    {
        var id = model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
        if (!id.StartsWith("gemini-3", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var start = contents.FindLastIndex(static c => c.Role == "user" && c.Parts is { } parts && parts.Exists(static p => p.FunctionResponse is null));
        for (var i = start + 1; i < contents.Count; i++)
        {
            if (contents[i] is not { Role: "model", Parts: { } parts })
            {
                continue;
            }

            var first = parts.FindIndex(static p => p.FunctionCall is not null);
            if (first >= 0 && !parts.Exists(static p => p.FunctionCall is not null && !string.IsNullOrEmpty(p.ThoughtSignature)))
            {
                parts[first].ThoughtSignature = SkipValidator;
            }
        }
    }
}
