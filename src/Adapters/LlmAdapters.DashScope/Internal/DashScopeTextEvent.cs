// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.DashScope.Internal.Dto;
using LlmAdapters.Native;
using static LlmAdapters.Native.NativeFastPath;

namespace LlmAdapters.DashScope.Internal;

/// <summary>
/// Reads the hot event of a streamed generation (one choice whose message carries only text or reasoning, no finish reason, the
/// same request id as the event before or none) straight from its UTF-8 bytes with a <see cref="Utf8JsonReader"/>: no
/// <see cref="GenerationResponse"/> graph, no request id string per event, the usage counts read as numbers. It accepts an event
/// only when the DTO would read the same from it and <see cref="DashScopeStreamDecoder"/> would make the same of that; anything
/// else (a finish reason, tool calls, content parts, an error, a repeated member, a value of another type, malformed JSON, a
/// string that does not decode) is left to the DTO, so results and exceptions are unchanged.
/// </summary>
internal static class DashScopeTextEvent
{
    /// <summary>Reads a text-only event.</summary>
    /// <param name="data">The event's data.</param>
    /// <param name="requestId">The request id the event must carry when it carries one.</param>
    /// <param name="text">The message's text, or <see langword="null"/>.</param>
    /// <param name="reasoning">The message's reasoning, or <see langword="null"/>.</param>
    /// <param name="usage">The event's usage, or <see langword="null"/> when it has none.</param>
    /// <returns><see langword="true"/> when the event was read; <see langword="false"/> when the DTO must read it.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, string requestId, out string? text, out string? reasoning, out UsageCounts? usage)
    {
        var result = new Result { RequestId = requestId };
        if (NativeFastPath.TryRead(data, ref result, ReadEvent))
        {
            (text, reasoning, usage) = (result.Text, result.Reasoning, result.Usage);
            return true;
        }

        (text, reasoning, usage) = (null, null, null);
        return false;
    }

    private static bool ReadEvent(ref Utf8JsonReader reader, ref Result result)
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
                // Output present, one object and nothing after it.
                return (seen & 1) != 0 && !reader.Read();
            }

            if (reader.ValueTextEquals("output"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadOutput(ref reader, ref result))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() ||
                    !(reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(result.RequestId))))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                if (!Once(ref seen, 4) || !reader.Read() || (reader.TokenType != JsonTokenType.Null && !ReadUsage(ref reader, ref result.Usage)))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("message"u8))
            {
                if (!ReadNull(ref reader))
                {
                    return false;
                }
            }
            else if (!SkipValue(ref reader))
            {
                return false; // a member the DTO does not map
            }
        }

        return false;
    }

    private static bool ReadOutput(ref Utf8JsonReader reader, ref Result result)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadChoices(ref reader, ref result))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                // Read only when there is no choice.
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
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

        return reader.TokenType == JsonTokenType.EndObject && (seen & 1) != 0;
    }

    private static bool ReadChoices(ref Utf8JsonReader reader, ref Result result)
    {
        if (!EnterOnlyObject(ref reader))
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadMessage(ref reader, ref result))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                // Streaming, "null" (the string) is no finish; null would fall back on the output's (read above: none).
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType != JsonTokenType.String ||
                    !(reader.ValueTextEquals("null"u8) || reader.ValueTextEquals(""u8)))
                {
                    return false;
                }
            }
            else if (!SkipValue(ref reader))
            {
                return false;
            }
        }

        // Exactly one choice, with a message and its "no finish" string.
        return seen == 0b11 && LeaveOnlyObject(ref reader);
    }

    private static bool ReadMessage(ref Utf8JsonReader reader, ref Result result)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (!Once(ref seen, 1) || !ReadOptionalString(ref reader, out result.Text))
                {
                    return false; // content parts: the DTO joins them
                }
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                if (!Once(ref seen, 2) || !ReadOptionalString(ref reader, out result.Reasoning))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("tool_call_id"u8) || reader.ValueTextEquals("name"u8))
            {
                if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
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

    private static bool ReadUsage(ref Utf8JsonReader reader, ref UsageCounts? usage)
    {
        var counts = default(UsageCounts);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                if (!Once(ref seen, 1) || !ReadCount(ref reader, out counts.Input))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                if (!Once(ref seen, 2) || !ReadCount(ref reader, out counts.Output))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                if (!Once(ref seen, 4) || !ReadCount(ref reader, out counts.Total))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8))
            {
                // Rare: the DTO reads them.
                return false;
            }
            else if (!SkipValue(ref reader))
            {
                return false;
            }
        }

        usage = counts;
        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>An event's usage counts, as <see cref="GenerationUsage"/> holds them (without details), without the object.</summary>
    internal struct UsageCounts
    {
        public long? Input;
        public long? Output;
        public long? Total;

        /// <summary>The DTO these counts stand for.</summary>
        /// <returns>The DTO.</returns>
        public readonly GenerationUsage ToDto() => new() { InputTokens = Input, OutputTokens = Output, TotalTokens = Total };
    }

    private struct Result
    {
        public string RequestId;
        public string? Text;
        public string? Reasoning;
        public UsageCounts? Usage;
    }
}
