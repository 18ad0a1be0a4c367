// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>How one model call of a run is made: its messages and options, and whether it is the loop's last.</summary>
/// <param name="Messages">The messages to send.</param>
/// <param name="Options">The options to send.</param>
/// <param name="Last">Whether the call is the loop's last: function calls in its answer are not run.</param>
/// <param name="WrapUp">Whether the call is the run budget's wrap-up call.</param>
internal readonly record struct ToolStep(IEnumerable<ChatMessage> Messages, ChatOptions? Options, bool Last, bool WrapUp = false);
