// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>How a provider's usage reports within one stream combine.</summary>
public enum UsageMergeRule
{
    /// <summary>Each report is cumulative and complete: the last one wins (Gemini <c>usageMetadata</c>, OpenAI's final usage chunk).</summary>
    Last = 0,

    /// <summary>Each report is cumulative but partial: a later report overwrites, member by member, what it states (Anthropic <c>message_start</c> then <c>message_delta</c>).</summary>
    Overwrite,

    /// <summary>Each report counts only its own part: the reports add up (per-chunk counts).</summary>
    Sum,
}
