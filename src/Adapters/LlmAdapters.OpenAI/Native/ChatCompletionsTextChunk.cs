// Licensed under the MIT License.

using System.Text.Json;

namespace LlmAdapters.OpenAI.Native;

/// <summary>
/// Reads the hot chunk of a streamed Chat Completions response, one choice whose delta carries only text, straight from its
/// UTF-8 bytes with a <see cref="Utf8JsonReader"/>: no <see cref="ChunkDto"/> graph and no id or model string per chunk, only
/// the text. It accepts a chunk only when <see cref="ChunkDto"/> would read the same from it and
/// <see cref="ChatCompletionsStreamDecoder"/> would make the same of that: anything else (usage, an error, a finish reason,
/// reasoning, a refusal, tool calls, several choices, a repeated member, a value of another type, malformed JSON, a string that
/// does not decode) is left to the DTO, so results and exceptions are unchanged.
/// </summary>
internal static class ChatCompletionsTextChunk
{
    /// <summary>Reads a text-only chunk.</summary>
    /// <param name="data">The event's data.</param>
    /// <param name="text">The delta's text, or <see langword="null"/> when its <c>content</c> is absent or null.</param>
    /// <returns><see langword="true"/> when the chunk was read; <see langword="false"/> when the DTO must read it.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out string? text)
    {
        text = null;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (ReadChunk(ref reader, ref text))
            {
                return true;
            }
        }
        catch (JsonException)
        {
            // Malformed: the DTO reports it in its own words.
        }
        catch (InvalidOperationException)
        {
            // A string that does not decode (invalid UTF-8): the same.
        }

        text = null;
        return false;
    }

    private static bool ReadChunk(ref Utf8JsonReader reader, ref string? text)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = Member.None;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                // One object and nothing after it (the reader throws on trailing data), with its one choice.
                return (seen & Member.Choices) != 0 && !reader.Read();
            }

            if (reader.ValueTextEquals("choices"u8))
            {
                if (!Once(ref seen, Member.Choices) || !reader.Read() || !ReadChoices(ref reader, ref text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("model"u8))
            {
                // The decoder keeps the first chunk's id and model: a later chunk's only need to be what the DTO accepts.
                if (!Once(ref seen, reader.ValueTextEquals("id"u8) ? Member.Id : Member.Model) || !reader.Read() ||
                    reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                if (!Once(ref seen, Member.Created) || !reader.Read() ||
                    !(reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _))))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (!Once(ref seen, Member.Usage) || !reader.Read() || reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                return false;
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                return false; // a member the DTO does not map (object, system_fingerprint, service_tier, obfuscation…)
            }
        }

        return false;
    }

    private static bool ReadChoices(ref Utf8JsonReader reader, ref string? text)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = Member.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                if (!Once(ref seen, Member.Delta) || !reader.Read() || !ReadDelta(ref reader, ref text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                if (!Once(ref seen, Member.Index) || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out _))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8) || reader.ValueTextEquals("message"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                return false; // logprobs and what the DTO does not map
            }
        }

        // Exactly one choice, with a delta.
        return reader.TokenType == JsonTokenType.EndObject && (seen & Member.Delta) != 0 &&
            reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool ReadDelta(ref Utf8JsonReader reader, ref string? text)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = Member.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (!Once(ref seen, Member.Content) || !reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    text = reader.GetString();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                if (!Once(ref seen, Member.Role) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("refusal"u8) || reader.ValueTextEquals("reasoning_content"u8) ||
                reader.ValueTextEquals("reasoning"u8) || reader.ValueTextEquals("tool_calls"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Null)
                {
                    return false;
                }
            }
            else if (!reader.Read() || !reader.TrySkip())
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool Once(ref Member seen, Member member)
    {
        if ((seen & member) != 0)
        {
            return false;
        }

        seen |= member;
        return true;
    }

    [Flags]
    private enum Member
    {
        None = 0,
        Id = 1,
        Model = 2,
        Created = 4,
        Choices = 8,
        Usage = 16,
        Delta = 32,
        Index = 64,
        Content = 128,
        Role = 256,
    }
}
