// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Gemini.Internal.Dto;
using LlmAdapters.Native;
using static LlmAdapters.Native.NativeFastPath;

namespace LlmAdapters.Gemini.Internal;

/// <summary>
/// Reads the hot chunk of a streamed <c>generateContent</c> answer, one candidate with one text part and no finish reason,
/// straight from its UTF-8 bytes with a <see cref="Utf8JsonReader"/>: no <see cref="GenerateContentResponse"/> graph, no id or
/// model string per chunk (they must equal the last chunk's), the usage counts read as numbers. It accepts a chunk only when
/// the DTO would read the same from it and <see cref="GeminiStreamDecoder"/> would make the same of that; anything else (a
/// finish reason, a thought, a signature, a call, several parts or candidates, prompt feedback, an error, a repeated member, a
/// value of another type, malformed JSON, a string that does not decode) is left to the DTO, so results and exceptions are
/// unchanged.
/// </summary>
internal static class GeminiTextChunk
{
    /// <summary>Reads a text-only chunk.</summary>
    /// <param name="data">The event's data.</param>
    /// <param name="responseId">The response id the chunk must carry.</param>
    /// <param name="modelVersion">The model version the chunk must carry.</param>
    /// <param name="text">The part's text.</param>
    /// <param name="usage">The chunk's usage counts, or <see langword="null"/> when it has none.</param>
    /// <returns><see langword="true"/> when the chunk was read; <see langword="false"/> when the DTO must read it.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, string responseId, string modelVersion, out string? text, out UsageCounts? usage)
    {
        var state = new Chunk { ResponseId = responseId, ModelVersion = modelVersion };
        if (NativeFastPath.TryRead(data, ref state, ReadChunk))
        {
            (text, usage) = (state.Text, state.Usage);
            return true;
        }

        (text, usage) = (null, null);
        return false;
    }

    private static bool ReadChunk(ref Utf8JsonReader reader, ref Chunk chunk)
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
                // Candidates, id and model present, one object and nothing after it (the reader throws on trailing data).
                return (seen & 0b111) == 0b111 && !reader.Read();
            }

            if (reader.ValueTextEquals("candidates"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadCandidates(ref reader, ref chunk.Text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                if (!Once(ref seen, 2) || !ReadString(ref reader, chunk.ResponseId))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("modelVersion"u8))
            {
                if (!Once(ref seen, 4) || !ReadString(ref reader, chunk.ModelVersion))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                if (!Once(ref seen, 8) || !reader.Read() || (reader.TokenType != JsonTokenType.Null && !ReadUsage(ref reader, ref chunk.Usage)))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("promptFeedback"u8) || reader.ValueTextEquals("error"u8))
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

    private static bool ReadCandidates(ref Utf8JsonReader reader, ref string? text)
    {
        if (!EnterOnlyObject(ref reader))
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadContent(ref reader, ref text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("index"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() ||
                    !(reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _))))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("finishReason"u8) || reader.ValueTextEquals("finishMessage"u8))
            {
                if (!ReadNull(ref reader))
                {
                    return false;
                }
            }
            else if (!SkipValue(ref reader))
            {
                return false; // safetyRatings, citationMetadata, groundingMetadata (read only with a finish reason)…
            }
        }

        // Exactly one candidate, with content.
        return (seen & 1) != 0 && LeaveOnlyObject(ref reader);
    }

    private static bool ReadContent(ref Utf8JsonReader reader, ref string? text)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("parts"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || !ReadParts(ref reader, ref text))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
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

    private static bool ReadParts(ref Utf8JsonReader reader, ref string? text)
    {
        if (!EnterOnlyObject(ref reader))
        {
            return false;
        }

        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                if (!Once(ref seen, 1) || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                text = reader.GetString();
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                if (!Once(ref seen, 2) || !reader.Read() || reader.TokenType is not (JsonTokenType.False or JsonTokenType.Null))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("thoughtSignature"u8) || reader.ValueTextEquals("inlineData"u8) ||
                reader.ValueTextEquals("fileData"u8) || reader.ValueTextEquals("functionCall"u8) ||
                reader.ValueTextEquals("functionResponse"u8) || reader.ValueTextEquals("executableCode"u8) ||
                reader.ValueTextEquals("codeExecutionResult"u8))
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

        // Exactly one part, with text.
        return (seen & 1) != 0 && LeaveOnlyObject(ref reader);
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
            int bit;
            if (reader.ValueTextEquals("promptTokenCount"u8))
            {
                bit = 1;
            }
            else if (reader.ValueTextEquals("candidatesTokenCount"u8))
            {
                bit = 2;
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                bit = 4;
            }
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8))
            {
                bit = 8;
            }
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8))
            {
                bit = 16;
            }
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8))
            {
                bit = 32;
            }
            else
            {
                if (!SkipValue(ref reader))
                {
                    return false; // promptTokensDetails and what the DTO does not map
                }

                continue;
            }

            if (!Once(ref seen, bit) || !ReadCount(ref reader, out var value))
            {
                return false;
            }

            counts.Set(bit, value);
        }

        usage = counts;
        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>What a chunk must carry (the stream's id and model) and what is read of it.</summary>
    private struct Chunk
    {
        public string ResponseId;
        public string ModelVersion;
        public string? Text;
        public UsageCounts? Usage;
    }

    /// <summary>A chunk's usage counts, as <see cref="UsageMetadata"/> holds them, without the object.</summary>
    internal struct UsageCounts
    {
        public long? Prompt;
        public long? Candidates;
        public long? Total;
        public long? Cached;
        public long? Thoughts;
        public long? ToolUsePrompt;

        /// <summary>Sets the count a member's bit names.</summary>
        /// <param name="bit">The member's bit in <see cref="ReadUsage"/>.</param>
        /// <param name="value">The count.</param>
        public void Set(int bit, long? value)
        {
            _ = bit switch
            {
                1 => Prompt = value,
                2 => Candidates = value,
                4 => Total = value,
                8 => Cached = value,
                16 => Thoughts = value,
                _ => ToolUsePrompt = value,
            };
        }

        /// <summary>Gets a value indicating whether <see cref="GeminiMapper.ToUsage"/> makes usage of these counts.</summary>
        public readonly bool Counts => Prompt is not null || Candidates is not null || Total is not null || Thoughts is not null;

        /// <summary>The DTO these counts stand for.</summary>
        /// <returns>The DTO.</returns>
        public readonly UsageMetadata ToDto() => new()
        {
            PromptTokenCount = Prompt,
            CandidatesTokenCount = Candidates,
            TotalTokenCount = Total,
            CachedContentTokenCount = Cached,
            ThoughtsTokenCount = Thoughts,
            ToolUsePromptTokenCount = ToolUsePrompt,
        };
    }
}
