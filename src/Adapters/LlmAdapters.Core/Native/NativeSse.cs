// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>Helpers for server-sent-event dialects.</summary>
public static class NativeSse
{
    /// <summary>Gets whether the data of an event is the <c>[DONE]</c> sentinel of the OpenAI dialect (white space around it allowed).</summary>
    /// <param name="data">The event's data.</param>
    /// <returns><see langword="true"/> for <c>[DONE]</c>.</returns>
    public static bool IsDoneSentinel(ReadOnlySpan<byte> data) => data.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8);

    /// <summary>Gets whether the data of an event holds nothing but white space.</summary>
    /// <param name="data">The event's data.</param>
    /// <returns><see langword="true"/> when there is nothing to decode.</returns>
    public static bool IsBlank(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
