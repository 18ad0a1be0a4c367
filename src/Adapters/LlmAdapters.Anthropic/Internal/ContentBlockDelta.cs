// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.Anthropic.Internal;

/// <summary>
/// A <c>content_block_delta</c> event, the most frequent event of a stream, read with a <see cref="Utf8JsonReader"/> straight
/// from the UTF-8 bytes of its data instead of through the <see cref="Dto.StreamEvent"/> DTO: the block index, what the
/// delta carries, and its string value, left undecoded until the caller decodes it once, where it needs it.
/// </summary>
/// <remarks>
/// <see cref="TryRead"/> accepts only what it reads exactly as the source-generated deserialization of <see cref="Dto.StreamEvent"/>
/// does (case-sensitive names, the last of repeated members, strict numbers, unknown members skipped, nothing after the
/// object). For anything else (another event type, an escaped member name, a member of an unexpected JSON type, a
/// citation, a <c>message</c>, <c>content_block</c> or <c>usage</c> member, a repeated <c>delta</c>) it returns
/// <see langword="false"/>, and malformed JSON throws <see cref="JsonException"/>: the caller then falls back to the DTO,
/// which yields what it always did or throws the exception it always threw.
/// </remarks>
internal ref struct ContentBlockDelta
{
    private const string EventType = "content_block_delta";

    private ContentBlockDeltaKind _type;
    private Utf8JsonReader _text;
    private Utf8JsonReader _thinking;
    private Utf8JsonReader _partialJson;
    private Utf8JsonReader _signature;
    private bool _hasText;
    private bool _hasThinking;
    private bool _hasPartialJson;
    private bool _hasSignature;
    private Utf8JsonReader _value;
    private bool _hasValue;

    /// <summary>Gets the index of the block the delta belongs to (meaningful unless <see cref="Kind"/> is <see cref="ContentBlockDeltaKind.None"/>).</summary>
    public int Index { get; private set; }

    /// <summary>Gets what the delta carries.</summary>
    public ContentBlockDeltaKind Kind { get; private set; }

    /// <summary>Gets a value indicating whether the value (the member <see cref="Kind"/> names) is absent, null or empty.</summary>
    public readonly bool IsEmpty => !_hasValue || _value.ValueSpan.IsEmpty;

    /// <summary>Gets the most UTF-16 characters the value decodes to (its length in bytes as sent, escapes included).</summary>
    public readonly int MaxLength => _hasValue ? _value.ValueSpan.Length : 0;

    /// <summary>Reads an event, if it is a <c>content_block_delta</c> event read exactly as the DTO would read it.</summary>
    /// <param name="eventType">The SSE event type (the event's type when its data has no <c>type</c>).</param>
    /// <param name="data">The event's data: valid UTF-8.</param>
    /// <param name="delta">The event read.</param>
    /// <returns><see langword="true"/> when <paramref name="delta"/> holds the event; <see langword="false"/> when the DTO must read it.</returns>
    /// <exception cref="JsonException">The data is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">A string member has an escaped lone surrogate.</exception>
    public static bool TryRead(string eventType, ReadOnlySpan<byte> data, out ContentBlockDelta delta)
    {
        delta = default;
        return delta.Read(eventType, data);
    }

    /// <summary>Decodes the value (escapes included).</summary>
    /// <returns>The value, or <see langword="null"/> when it is absent or null.</returns>
    /// <exception cref="InvalidOperationException">The value has an escaped lone surrogate.</exception>
    public readonly string? GetString() => _hasValue ? _value.GetString() : null;

    /// <summary>Decodes the value (escapes included) into a buffer of at least <see cref="MaxLength"/> characters.</summary>
    /// <param name="destination">The buffer.</param>
    /// <returns>The number of characters written (0 when the value is absent or null).</returns>
    /// <exception cref="InvalidOperationException">The value has an escaped lone surrogate.</exception>
    public readonly int CopyString(Span<char> destination) => _hasValue ? _value.CopyString(destination) : 0;

    /// <summary>Reads a member's value that must be a string or null.</summary>
    /// <returns><see langword="false"/> when the value is of another JSON type.</returns>
    private static bool ReadStringOrNull(ref Utf8JsonReader reader, out bool isString)
    {
        reader.Read();
        isString = reader.TokenType == JsonTokenType.String;
        return isString || reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>Marks a member as seen.</summary>
    /// <returns><see langword="false"/> when it was seen before.</returns>
    private static bool Once(ref int seen, int member)
    {
        var first = (seen & member) == 0;
        seen |= member;
        return first;
    }

    /// <summary>Throws, as the DTO's string decoding would, when an escaped string member is not valid UTF-16.</summary>
    private static void Validate(in Utf8JsonReader reader, bool present)
    {
        if (present && reader.ValueIsEscaped)
        {
            _ = reader.GetString();
        }
    }

    private bool Read(string eventType, ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var typed = false;
        int? index = null;
        var sawDelta = false;
        var hasDelta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                if (!ReadStringOrNull(ref reader, out var isString) || (isString && (reader.ValueIsEscaped || !reader.ValueTextEquals("content_block_delta"u8))))
                {
                    return false;
                }

                typed = isString;
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    index = value;
                }
                else if (reader.TokenType == JsonTokenType.Null)
                {
                    index = null;
                }
                else
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (sawDelta || (reader.TokenType != JsonTokenType.Null && (reader.TokenType != JsonTokenType.StartObject || !ReadDelta(ref reader))))
                {
                    return false;
                }

                sawDelta = true;
                hasDelta = reader.TokenType == JsonTokenType.EndObject;
            }
            else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("content_block"u8) || reader.ValueTextEquals("usage"u8))
            {
                return false;
            }
            else
            {
                reader.Skip();
            }
        }

        // The loop stops on the object's end (malformed JSON throws); anything but white space after it throws too.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || (!typed && eventType != EventType))
        {
            return false;
        }

        Kind = index is null || !hasDelta ? ContentBlockDeltaKind.None : _type;
        Index = index.GetValueOrDefault();
        switch (Kind)
        {
            case ContentBlockDeltaKind.Text:
                _value = _text;
                _hasValue = _hasText;
                break;
            case ContentBlockDeltaKind.Thinking:
                _value = _thinking;
                _hasValue = _hasThinking;
                break;
            case ContentBlockDeltaKind.Signature:
                _value = _signature;
                _hasValue = _hasSignature;
                break;
            case ContentBlockDeltaKind.InputJson:
                _value = _partialJson;
                _hasValue = _hasPartialJson;
                break;
        }

        // The DTO decodes every string member: the others must decode too (only an escaped one can fail).
        Validate(_text, _hasText && Kind != ContentBlockDeltaKind.Text);
        Validate(_thinking, _hasThinking && Kind != ContentBlockDeltaKind.Thinking);
        Validate(_signature, _hasSignature && Kind != ContentBlockDeltaKind.Signature);
        Validate(_partialJson, _hasPartialJson && Kind != ContentBlockDeltaKind.InputJson);
        return true;
    }

    /// <summary>Reads the <c>delta</c> object, from its start to its end.</summary>
    private bool ReadDelta(ref Utf8JsonReader reader)
    {
        // The string members already seen: the DTO decodes (and so validates) a repeated one each time, so it reads those.
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped)
            {
                return false;
            }

            bool isString;
            if (reader.ValueTextEquals("type"u8))
            {
                if (!ReadStringOrNull(ref reader, out isString) || (isString && reader.ValueIsEscaped))
                {
                    return false;
                }

                _type =
                    !isString ? ContentBlockDeltaKind.None :
                    reader.ValueTextEquals("text_delta"u8) ? ContentBlockDeltaKind.Text :
                    reader.ValueTextEquals("thinking_delta"u8) ? ContentBlockDeltaKind.Thinking :
                    reader.ValueTextEquals("signature_delta"u8) ? ContentBlockDeltaKind.Signature :
                    reader.ValueTextEquals("input_json_delta"u8) ? ContentBlockDeltaKind.InputJson :
                    ContentBlockDeltaKind.None;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                if (!Once(ref seen, 1) || !ReadStringOrNull(ref reader, out _hasText))
                {
                    return false;
                }

                _text = reader;
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                if (!Once(ref seen, 2) || !ReadStringOrNull(ref reader, out _hasThinking))
                {
                    return false;
                }

                _thinking = reader;
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                if (!Once(ref seen, 4) || !ReadStringOrNull(ref reader, out _hasPartialJson))
                {
                    return false;
                }

                _partialJson = reader;
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                if (!Once(ref seen, 8) || !ReadStringOrNull(ref reader, out _hasSignature))
                {
                    return false;
                }

                _signature = reader;
            }
            else if (reader.ValueTextEquals("stop_reason"u8) || reader.ValueTextEquals("stop_sequence"u8))
            {
                if (!ReadStringOrNull(ref reader, out isString) || (isString && reader.ValueIsEscaped))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("citation"u8))
            {
                // A citation needs the DTO; an explicit null is what the DTO reads as no citation.
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else
            {
                // stop_details (any JSON value for the DTO), and members the DTO does not know.
                reader.Skip();
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }
}
