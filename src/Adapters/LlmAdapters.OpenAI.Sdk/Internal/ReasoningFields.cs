// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace LlmAdapters.OpenAI.Internal;

/// <summary>
/// Surfaces the reasoning text that OpenAI-compatible servers return beside <c>content</c> as <see cref="TextReasoningContent"/>.
/// </summary>
/// <remarks>
/// <para>
/// Servers name the field differently: vLLM before ~0.11, Qwen/DashScope and DeepSeek send <c>reasoning_content</c>;
/// vLLM since PR #27752 sends <c>reasoning</c> (and newer versions only that). Microsoft.Extensions.AI.OpenAI 10.11 maps
/// <c>reasoning_content</c> itself (streaming and not) and drops <c>reasoning</c>.
/// </para>
/// <para>
/// Choice: read the fields the SDK does not model from the SDK's own <c>JsonPatch</c> (<c>StreamingChatCompletionUpdate.Patch</c>,
/// <c>ChatCompletion.Patch</c>, reached through <see cref="ChatResponseUpdate.RawRepresentation"/>), where OpenAI 2.15 keeps
/// every unknown property of the parsed chunk. The JSON has been parsed once already; the lookup is a path match over
/// the few unknown properties (measured: under a microsecond and 48 B per chunk, docs/performance.md). A
/// System.ClientModel <c>PipelinePolicy</c> wrapping the response stream would parse every chunk a second time and
/// have to re-synchronise its deltas with the SDK's updates; the patch needs neither, and keeps the order for free
/// (each delta lands in the update of its own chunk). <c>JsonPatch</c> is marked experimental (SCME0001): should
/// it change, the tests that replay the vLLM <c>reasoning</c> recordings fail.
/// </para>
/// <para>
/// A chunk carrying both fields (vLLM versions that sent both for compatibility) is mapped once: <c>reasoning</c> is read
/// only when Microsoft.Extensions.AI produced no reasoning for that chunk.
/// </para>
/// </remarks>
internal static class ReasoningFields
{
#pragma warning disable SCME0001 // JsonPatch is for evaluation purposes only; see the remarks above.
    /// <summary>Adds the <c>delta.reasoning</c> of a streamed chunk to its update, before the text.</summary>
    /// <param name="chunk">The SDK's chunk.</param>
    /// <param name="update">The update made from it.</param>
    public static void AddStreamingReasoning(StreamingChatCompletionUpdate chunk, ChatResponseUpdate update)
    {
        if (!HasReasoning(update.Contents) &&
            chunk.Patch.TryGetValue("$.choices[0].delta.reasoning"u8, out string? reasoning) &&
            !string.IsNullOrEmpty(reasoning))
        {
            update.Contents.Insert(0, new TextReasoningContent(reasoning));
        }
    }

    /// <summary>Reads the <c>error</c> some servers (vLLM, OpenRouter, LiteLLM) send as a chunk when a stream fails midway.</summary>
    /// <param name="chunk">The SDK's chunk.</param>
    /// <param name="errorJson">The error as <c>{"error":…}</c>, the envelope <see cref="ChatProviderErrors.FromErrorPayload(string, string, int?)"/> reads.</param>
    /// <returns><see langword="true"/> when the chunk is an error.</returns>
    public static bool TryGetStreamError(StreamingChatCompletionUpdate chunk, out string? errorJson)
    {
        if (chunk.Patch.TryGetJson("$.error"u8, out var json) && json.Length > 0 && json.Span[0] is (byte)'{' or (byte)'"')
        {
            errorJson = string.Concat("{\"error\":", System.Text.Encoding.UTF8.GetString(json.Span), "}");
            return true;
        }

        errorJson = null;
        return false;
    }

    /// <summary>Adds the <c>message.reasoning</c> of a completion to its message and puts reasoning before the text.</summary>
    /// <param name="response">The mapped response.</param>
    public static void AddReasoning(ChatResponse response)
    {
        if (response.Messages.Count == 0)
        {
            return;
        }

        var contents = response.Messages[^1].Contents;
        if (!HasReasoning(contents) &&
            response.RawRepresentation is ChatCompletion completion &&
            completion.Patch.TryGetValue("$.choices[0].message.reasoning"u8, out string? reasoning) &&
            !string.IsNullOrEmpty(reasoning))
        {
            contents.Insert(0, new TextReasoningContent(reasoning));
            return;
        }

        // Microsoft.Extensions.AI appends reasoning_content after the text; the model produced it first.
        var insertAt = 0;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextReasoningContent reasoningContent)
            {
                if (i != insertAt)
                {
                    contents.RemoveAt(i);
                    contents.Insert(insertAt, reasoningContent);
                }

                insertAt++;
            }
        }
    }
#pragma warning restore SCME0001

    private static bool HasReasoning(IList<AIContent> contents)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextReasoningContent)
            {
                return true;
            }
        }

        return false;
    }
}
