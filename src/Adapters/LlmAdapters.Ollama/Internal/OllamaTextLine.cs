// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;
using LlmAdapters.Ollama.Internal.Dto;
using static LlmAdapters.Native.NativeFastPath;

namespace LlmAdapters.Ollama.Internal;

/// <summary>
/// Reads the hot line of a streamed <c>/api/chat</c> answer (<c>done: false</c>, a message with text only, the same model as the
/// line before; thinking allowed) straight from its UTF-8 bytes with a <see cref="Utf8JsonReader"/>: no <see cref="OllamaChatResponse"/> graph, no
/// model string per line, the time read as a value. It accepts a line only when the DTO would read the same from it and
/// <see cref="OllamaStreamDecoder"/> would make the same of that; anything else (the done line, tool calls, images,
/// an error, a repeated member, a value of another type, malformed JSON, a string that does not decode) is left to the DTO, so
/// results and exceptions are unchanged.
/// </summary>
internal static class OllamaTextLine
{
    /// <summary>Reads a text-only line.</summary>
    /// <param name="data">The line.</param>
    /// <param name="model">The model the line must name.</param>
    /// <param name="text">The message's content, or <see langword="null"/> when it is null or absent.</param>
    /// <param name="thinking">The message's thinking, or <see langword="null"/> when it is null or absent.</param>
    /// <param name="createdAt">The line's <c>created_at</c>.</param>
    /// <returns><see langword="true"/> when the line was read; <see langword="false"/> when the DTO must read it.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, string model, out string? text, out string? thinking, out DateTimeOffset createdAt)
    {
        var line = new Line { Model = model };
        if (NativeFastPath.TryRead(data, ref line, ReadLine))
        {
            (text, thinking, createdAt) = (line.Text, line.Thinking, line.CreatedAt);
            return true;
        }

        (text, thinking, createdAt) = (null, null, default);
        return false;
    }

    private static bool ReadLine(ref Utf8JsonReader reader, ref Line line)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                // Model, time, message and done: false, one object and nothing after it.
                return seen == 0b1111 && !reader.Read();
            }

            if (reader.ValueTextEquals("model"u8))
            {
                if (!Once(ref seen, 1) || !ReadString(ref reader, line.Model))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out line.CreatedAt))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                if (!Once(ref seen, 4) || !reader.Read() || !ReadMessage(ref reader, ref line.Text, ref line.Thinking))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                if (!Once(ref seen, 8) || !reader.Read() || reader.TokenType != JsonTokenType.False)
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("done_reason"u8) || reader.ValueTextEquals("total_duration"u8) ||
                reader.ValueTextEquals("load_duration"u8) || reader.ValueTextEquals("prompt_eval_count"u8) ||
                reader.ValueTextEquals("prompt_eval_duration"u8) || reader.ValueTextEquals("eval_count"u8) ||
                reader.ValueTextEquals("eval_duration"u8) || reader.ValueTextEquals("error"u8))
            {
                return false;
            }
            else if (!SkipValue(ref reader))
            {
                return false; // a member the DTO does not map
            }
        }

        return false;
    }

    private static bool ReadMessage(ref Utf8JsonReader reader, ref string? text, ref string? thinking)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("thinking"u8))
            {
                // An empty string yields nothing on either path: no string for it.
                var isContent = reader.ValueTextEquals("content"u8);
                if (!Once(ref seen, isContent ? 1 : 4) || !ReadOptionalString(ref reader, out var value))
                {
                    return false;
                }

                if (isContent)
                {
                    text = value;
                }
                else
                {
                    thinking = value;
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("images"u8) ||
                reader.ValueTextEquals("tool_calls"u8) || reader.ValueTextEquals("tool_name"u8) ||
                reader.ValueTextEquals("tool_call_id"u8))
            {
                if (!ReadNull(ref reader))
                {
                    return false;
                }
            }
            else if (!SkipValue(ref reader))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>What a line must carry (the stream's model) and what is read of it.</summary>
    private struct Line
    {
        public string Model;
        public string? Text;
        public string? Thinking;
        public DateTimeOffset CreatedAt;
    }
}
