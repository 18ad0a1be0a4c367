// Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using LlmAdapters.Anthropic.Internal;
using LlmAdapters.Anthropic.Internal.Dto;

namespace LlmAdapters.Anthropic.Tests.Internal;

/// <summary>
/// <see cref="ContentBlockDelta"/> against the <see cref="StreamEvent"/> DTO it stands in for: whatever it accepts, it reads
/// as the DTO does; what the DTO rejects, it rejects too (or leaves to the DTO).
/// </summary>
public sealed class ContentBlockDeltaTests
{
    private const string Delta = "content_block_delta";

    /// <summary>The event type, the data, and whether <see cref="ContentBlockDelta"/> reads it itself.</summary>
    public static TheoryData<string, string, bool> Events => new()
    {
        // Read without the DTO.
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}""", true },
        { Delta, """{"type":"content_block_delta","index":3,"delta":{"type":"thinking_delta","thinking":"a\nb"}}""", true },
        { Delta, """{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"EqQB\/x=="}}""", true },
        { Delta, """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"a\":\"\\u00e9\""}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\u00e9 \uD83D\uDE00 \"q\" \\ \/ \b\f\n\r\t"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"naïve 日本 🎉"}}""", true },
        { Delta, """{"delta":{"text":"late","type":"text_delta"},"index":0,"type":"content_block_delta"}""", true },
        { Delta, """{"index":0,"delta":{"type":"text_delta","text":"no type"}}""", true },
        { Delta, """{"type":null,"index":0,"delta":{"type":"text_delta","text":"null type"}}""", true },
        { Delta, """{"type":"content_block_delta","type":null,"index":0,"delta":{"type":"text_delta","text":"last type wins"}}""", true },
        { Delta, """{"type":"content_block_delta","index":5,"index":0,"delta":{"type":"text_delta","type":"thinking_delta","thinking":"t"}}""", true },
        { "message", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"typed data"}}""", true },
        { Delta, """ {"type" : "content_block_delta" ,"index" : 0, "delta" : { "type" : "text_delta", "text" : "ws" } }  """, true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":null}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","Text":"wrong case"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"future_delta","text":"x"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":null,"text":"x"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"text":"x"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":null}}""", true },
        { Delta, """{"type":"content_block_delta","index":null,"delta":{"type":"text_delta","text":"x"}}""", true },
        { Delta, """{"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":null}""", true },
        { Delta, """{"type":"content_block_delta","index":0}""", true },
        { Delta, """{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"negative"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"x":{"a":[1,2,{"b":null}],"c":"\u00e9"},"delta":{"type":"text_delta","y":[true],"text":"unknown"}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"s","stop_reason":"end_turn","stop_sequence":null,"stop_details":{"k":[1]}}}""", true },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok","signature":"\u0041"}}""", true },

        // Left to the DTO: other events, and what only the DTO reads exactly.
        { Delta, """{"type":"ping"}""", false },
        { "ping", """{"index":0,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"type":"char_location","cited_text":"c"}}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","t\u0065xt":"escaped name"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text\u005fdelta","text":"escaped type"}}""", false },
        { Delta, """{"type":"content_block\u005fdelta","index":0,"delta":{"type":"text_delta","text":"escaped event type"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"delta":{"type":"text_delta"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"message":null,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"usage":{"output_tokens":1},"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"content_block":{},"delta":{"type":"text_delta","text":"x"}}""", false },

        // Rejected by the DTO: rejected here too.
        { Delta, """{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":1.5,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":99999999999,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":1}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","stop_reason":2}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":[]}""", false },
        { Delta, """{"type":1,"index":0,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\uD800"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok","partial_json":"\uDC00"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}} x""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}{}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a	tab"}}""", false },
        { Delta, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\x"}}""", false },
        { Delta, """{"type":"content_block_delta",/*c*/"index":0,"delta":{"type":"text_delta","text":"x"}}""", false },
        { Delta, """[{"type":"content_block_delta"}]""", false },
        { Delta, """null""", false },
        { Delta, """ """, false },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void TryRead_Event_ReadsAsTheDto(string eventType, string data, bool readHere)
    {
        var utf8 = Encoding.UTF8.GetBytes(data);
        StreamEvent? dto = null;
        Exception? dtoError = null;
        try
        {
            dto = JsonSerializer.Deserialize(utf8, AnthropicJsonContext.Default.StreamEvent);
        }
        catch (JsonException ex)
        {
            dtoError = ex;
        }

        bool read;
        ContentBlockDelta delta = default;
        string? decoded = null;
        try
        {
            // As the adapter does: read, then decode the value before acting on it (a lone surrogate throws there).
            read = ContentBlockDelta.TryRead(eventType, utf8, out delta);
            decoded = read ? delta.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Then the adapter falls back to the DTO.
            read = false;
        }

        Assert.Equal(readHere, read);
        if (!read)
        {
            return;
        }

        Assert.Null(dtoError);
        Assert.NotNull(dto);
        Assert.Equal(Delta, dto.Type ?? eventType);
        var (kind, value) = dto.Index is null || dto.Delta is null ? (ContentBlockDeltaKind.None, null) : dto.Delta.Type switch
        {
            "text_delta" => (ContentBlockDeltaKind.Text, dto.Delta.Text),
            "thinking_delta" => (ContentBlockDeltaKind.Thinking, dto.Delta.Thinking),
            "signature_delta" => (ContentBlockDeltaKind.Signature, dto.Delta.Signature),
            "input_json_delta" => (ContentBlockDeltaKind.InputJson, dto.Delta.PartialJson),
            _ => (ContentBlockDeltaKind.None, null),
        };
        Assert.Equal(kind, delta.Kind);
        if (kind == ContentBlockDeltaKind.None)
        {
            return;
        }

        Assert.Equal(dto.Index, delta.Index);
        Assert.Equal(value, decoded);
        Assert.Equal(string.IsNullOrEmpty(value), delta.IsEmpty);
        var buffer = new char[delta.MaxLength];
        Assert.Equal(value ?? string.Empty, new string(buffer, 0, delta.CopyString(buffer)));
    }

    [Fact]
    public void TryRead_TextDelta_ReadsIndexKindAndText()
    {
        var utf8 = """{"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"caf\u00e9\n\uD83D\uDE00"}}"""u8;

        Assert.True(ContentBlockDelta.TryRead(Delta, utf8, out var delta));

        Assert.Equal(7, delta.Index);
        Assert.Equal(ContentBlockDeltaKind.Text, delta.Kind);
        Assert.Equal("café\n\U0001F600", delta.GetString());
        Assert.False(delta.IsEmpty);
    }
}
