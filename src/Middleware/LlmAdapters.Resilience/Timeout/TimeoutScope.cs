// Licensed under the MIT License.

namespace LlmAdapters.Resilience;

/// <summary>What a <see cref="TimeoutChatClient"/> limits: one attempt, or the whole call.</summary>
public enum TimeoutScope
{
    /// <summary>One attempt: placed inside retry, an expired attempt is retried. Telemetry and messages say <c>attempt</c>.</summary>
    Attempt,

    /// <summary>The whole call, across retries and fallbacks. Telemetry and messages say <c>total</c>.</summary>
    Total,
}
