// Licensed under the MIT License.

namespace LlmAdapters.Ollama.Internal;

/// <summary>The fixed names of the Ollama adapter (docs/providers.md lists them).</summary>
internal static class OllamaConstants
{
    /// <summary>The provider name, in metadata and errors.</summary>
    public const string ProviderName = "ollama";

    /// <summary>The path of the chat API under the endpoint.</summary>
    public const string ChatPath = "api/chat";

    /// <summary>
    /// The prefix of the call ids the adapter makes up when the server sends none (older servers). A call id with it is
    /// never sent back: the server did not make it.
    /// </summary>
    public const string GeneratedCallIdPrefix = "ollama_call_";

    /// <summary>The <c>AdditionalProperties</c> key of the total duration (a <see cref="TimeSpan"/>).</summary>
    public const string TotalDuration = "total_duration";

    /// <summary>The <c>AdditionalProperties</c> key of the model load duration.</summary>
    public const string LoadDuration = "load_duration";

    /// <summary>The <c>AdditionalProperties</c> key of the prompt evaluation duration.</summary>
    public const string PromptEvalDuration = "prompt_eval_duration";

    /// <summary>The <c>AdditionalProperties</c> key of the generation duration.</summary>
    public const string EvalDuration = "eval_duration";

    /// <summary>The <c>AdditionalProperties</c> key of <c>done_reason</c> as the server sent it.</summary>
    public const string DoneReason = "done_reason";

    /// <summary>Makes a call id for a call the server sent without one: distinct per call.</summary>
    /// <returns>The id.</returns>
    public static string NewCallId() => GeneratedCallIdPrefix + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Gets whether a call id was made up by the adapter.</summary>
    /// <param name="callId">The call id.</param>
    /// <returns><see langword="true"/> when the server never saw it.</returns>
    public static bool IsGenerated(string? callId) => callId is null || callId.Length == 0 || callId.StartsWith(GeneratedCallIdPrefix, StringComparison.Ordinal);
}
