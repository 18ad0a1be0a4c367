// Licensed under the MIT License.

namespace LlmAdapters.Samples.Chat;

/// <summary>How one reply ended.</summary>
internal enum ReplyOutcome
{
    /// <summary>The reply arrived whole.</summary>
    Completed,

    /// <summary>Ctrl+C stopped it.</summary>
    Cancelled,

    /// <summary>The provider or the pipeline refused or failed; the error was printed.</summary>
    Failed,
}
