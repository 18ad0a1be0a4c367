// Licensed under the MIT License.

namespace LlmAdapters.Anthropic.Internal;

/// <summary>What a <c>content_block_delta</c> event read by <see cref="ContentBlockDelta"/> carries.</summary>
internal enum ContentBlockDeltaKind
{
    /// <summary>Nothing to act on: no index, no delta, or a delta type this adapter ignores.</summary>
    None,

    /// <summary>A <c>text_delta</c>: its <c>text</c>.</summary>
    Text,

    /// <summary>A <c>thinking_delta</c>: its <c>thinking</c>.</summary>
    Thinking,

    /// <summary>A <c>signature_delta</c>: its <c>signature</c>.</summary>
    Signature,

    /// <summary>An <c>input_json_delta</c>: its <c>partial_json</c>.</summary>
    InputJson,
}
