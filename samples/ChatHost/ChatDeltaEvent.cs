// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>The data of an <c>event: delta</c>: the next piece of the reply (JSON, so any text, new lines included, arrives intact).</summary>
/// <param name="Text">The text.</param>
internal sealed record ChatDeltaEvent(string Text);
