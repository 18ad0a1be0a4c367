// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Native;

/// <summary>
/// The pieces every native decoder's fast path shares: the hot event of a dialect read straight from its UTF-8 bytes with a
/// <see cref="Utf8JsonReader"/>, accepted only when the DTO would read the same from it, and left to the DTO otherwise (a
/// repeated member, a value of another type, malformed JSON, a string that does not decode), so that results and exceptions
/// are the DTO path's. For adapter authors.
/// </summary>
public static class NativeFastPath
{
    /// <summary>
    /// Runs <paramref name="read"/> over <paramref name="data"/>, and answers <see langword="false"/> (the DTO's turn) when the
    /// JSON is malformed (<see cref="JsonException"/>) or a string does not decode (<see cref="InvalidOperationException"/>):
    /// the DTO then reports it in its own words.
    /// </summary>
    /// <typeparam name="TState">What the read needs and what it reads.</typeparam>
    /// <param name="data">The event's data.</param>
    /// <param name="state">The read's inputs and outputs; on <see langword="false"/> the outputs may be partly set, and the caller ignores them.</param>
    /// <param name="read">The read (a static method: its delegate is cached, no allocation per event).</param>
    /// <returns><see langword="true"/> when the event was read.</returns>
    public static bool TryRead<TState>(ReadOnlySpan<byte> data, ref TState state, NativeEventReader<TState> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            var reader = new Utf8JsonReader(data);
            return read(ref reader, ref state);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Marks a member as seen, and tells whether it was not seen before (a repeated member goes to the DTO, which keeps the last).</summary>
    /// <param name="seen">The bits of the members seen so far.</param>
    /// <param name="member">The member's bit.</param>
    /// <returns><see langword="true"/> the first time.</returns>
    public static bool Once(ref int seen, int member)
    {
        if ((seen & member) != 0)
        {
            return false;
        }

        seen |= member;
        return true;
    }

    /// <summary>Skips the value of the member whose name the reader is on.</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <returns><see langword="false"/> when the value is not complete in the data.</returns>
    public static bool SkipValue(ref Utf8JsonReader reader) => reader.Read() && reader.TrySkip();

    /// <summary>Reads the value of a member the hot shape must not carry, and tells whether it is <c>null</c> (as good as absent).</summary>
    /// <param name="reader">The reader, on a property name.</param>
    /// <returns><see langword="true"/> when the value is <c>null</c>.</returns>
    public static bool ReadNull(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.Null;

    /// <summary>Reads a string value and tells whether it is <paramref name="expected"/> (an id or model that must equal the stream's), with no string made.</summary>
    /// <param name="reader">The reader, on the property name.</param>
    /// <param name="expected">The value the member must have.</param>
    /// <returns><see langword="false"/> when the value is not that string.</returns>
    public static bool ReadString(ref Utf8JsonReader reader, string expected) =>
        reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(expected);

    /// <summary>Reads a string-or-null value: a string (an empty one as <see cref="string.Empty"/>, no new string), or <c>null</c>.</summary>
    /// <param name="reader">The reader, on the property name.</param>
    /// <param name="value">The string, or <see langword="null"/> for <c>null</c>.</param>
    /// <returns><see langword="false"/> when the value is of another type.</returns>
    public static bool ReadOptionalString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            value = reader.ValueSpan.Length == 0 ? string.Empty : reader.GetString();
            return true;
        }

        return reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>Reads a token count: a whole number that fits a <see cref="long"/>, or <c>null</c>.</summary>
    /// <param name="reader">The reader, on the property name.</param>
    /// <param name="count">The count, or <see langword="null"/> for <c>null</c>.</param>
    /// <returns><see langword="false"/> when the value is of another type or does not fit.</returns>
    public static bool ReadCount(ref Utf8JsonReader reader, out long? count)
    {
        count = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            count = value;
            return true;
        }

        return false;
    }

    /// <summary>Enters an array that must hold exactly one object (one choice, one candidate, one part): on its start, steps onto the object's start.</summary>
    /// <param name="reader">The reader, on the array's start.</param>
    /// <returns><see langword="false"/> when the value is not an array, or is empty, or does not start with an object.</returns>
    public static bool EnterOnlyObject(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.StartObject;

    /// <summary>Leaves the array entered with <see cref="EnterOnlyObject"/>: the object ended and the array ends after it.</summary>
    /// <param name="reader">The reader, where the object's member loop stopped.</param>
    /// <returns><see langword="false"/> when the object did not end, or another element follows it.</returns>
    public static bool LeaveOnlyObject(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.EndObject && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
}
