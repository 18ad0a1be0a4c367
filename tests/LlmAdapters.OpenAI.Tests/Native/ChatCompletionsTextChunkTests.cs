// Licensed under the MIT License.

using System.Text;
using LlmAdapters.OpenAI.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.OpenAI.Tests.Native;

/// <summary>
/// The byte-level reader of the hot text chunk against the DTO it bypasses: every chunk must come out of a decoder that has
/// seen a first chunk (where the reader runs) exactly as out of a fresh decoder (where the DTO reads everything), update or
/// exception; and the reader must take the plain text chunks and leave the others to the DTO.
/// </summary>
public sealed class ChatCompletionsTextChunkTests
{
    private const string Head = "'id':'chatcmpl-1','object':'chat.completion.chunk','created':1727889370,'model':'gpt-4o-mini-2024-07-18','system_fingerprint':'fp_1',";

    public static TheoryData<string> TextChunks =>
    [
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'Hello'},'logprobs':null,'finish_reason':null}],'usage':null}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':''},'finish_reason':null}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'caf\u00e9 \'q\' \n'},'logprobs':null,'finish_reason':null}],'usage':null}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'role':'assistant','content':'Hi','refusal':null}}],'obfuscation':'x1'}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'Hi','reasoning_content':null,'reasoning':null,'tool_calls':null},'logprobs':{'content':[]}}]}",
        @"{'choices':[{'delta':{'content':'no id'},'index':0}],'id':null,'model':'other','created':null}",
        "{" + Head + @"'choices':[{'index':0,'delta':{}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':null}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'cont\u0065nt':'escaped name'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'Hi'},'message':null,'extra':{'a':[1,2,{'b':null}]}}]}",
    ];

    public static TheoryData<string> OtherChunks =>
    [
        "{" + Head + @"'choices':[{'index':0,'delta':{'role':'assistant','content':'','refusal':null}}]}" + " trailing",
        "{" + Head + @"'choices':[{'index':0,'delta':{},'finish_reason':'stop'}],'usage':null}",
        "{" + Head + @"'choices':[],'usage':{'prompt_tokens':8,'completion_tokens':9,'total_tokens':17}}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'reasoning_content':'think'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'reasoning':'think','content':'Hi'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'refusal':'no'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'tool_calls':[{'index':0,'id':'call_1','function':{'name':'f','arguments':''}}]}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a'}},{'index':1,'delta':{'content':'b'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a','content':'b'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':1}}]}",
        "{" + Head + @"'choices':[{'index':null,'delta':{'content':'a'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a'}}],'created':'1727889370'}",
        @"{'id':'chatcmpl-1','created':1.5,'model':'m','choices':[{'index':0,'delta':{'content':'a'}}]}",
        @"{'id':7,'model':'m','choices':[{'index':0,'delta':{'content':'a'}}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a'}}],'error':{'message':'boom','type':'server_error'}}",
        @"{'error':'boom'}",
        "{" + Head + @"'choices':null}",
        "{" + Head + @"'choices':[null]}",
        "{" + Head + @"'choices':[{'index':0,'delta':null}]}",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a'}}]",
        "[1]",
        "{" + Head + @"'choices':[{'index':0,'delta':{'content':'a'}}],'usage':{'prompt_tokens':1}}",
    ];

    [Theory]
    [MemberData(nameof(TextChunks))]
    public void TextChunk_ReadFromTheBytes_AsTheDtoReadsIt(string chunk)
    {
        Assert.True(ChatCompletionsTextChunk.TryRead(Utf8(chunk), out _));
        Assert.Equal(ThroughDto(chunk), AfterFirstChunk(chunk));
    }

    [Theory]
    [MemberData(nameof(OtherChunks))]
    public void OtherChunk_LeftToTheDto_SameResult(string chunk)
    {
        Assert.False(ChatCompletionsTextChunk.TryRead(Utf8(chunk), out var text));
        Assert.Null(text);
        Assert.Equal(ThroughDto(chunk), AfterFirstChunk(chunk));
    }

    [Fact]
    public void InvalidUtf8InTheText_LeftToTheDto_SameResult()
    {
        var chunk = Utf8("{" + Head + @"'choices':[{'index':0,'delta':{'content':'aZ'}}]}");
        chunk[Array.IndexOf(chunk, (byte)'Z')] = 0xFF;

        Assert.False(ChatCompletionsTextChunk.TryRead(chunk, out _));
        Assert.Equal(Describe(() => Fresh().Decode("message", chunk)), Describe(() => Primed().Decode("message", chunk)));
    }

    [Fact]
    public void TextChunk_AfterTheFirst_KeepsTheFirstChunksIdModelAndTime()
    {
        var decoder = Primed();

        var update = decoder.Decode("message", Utf8(@"{'id':'other','model':'other','created':1,'choices':[{'index':0,'delta':{'content':'x'}}]}"));

        Assert.NotNull(update);
        Assert.Equal(("chatcmpl-1", "chatcmpl-1", "gpt-4o-mini-2024-07-18", DateTimeOffset.FromUnixTimeSeconds(1727889370)), (update.ResponseId, update.MessageId, update.ModelId, update.CreatedAt));
        Assert.Equal(ChatRole.Assistant, update.Role);
        Assert.Equal("x", Assert.IsType<TextContent>(Assert.Single(update.Contents)).Text);
        Assert.Null(update.FinishReason);
    }

    /// <summary>The chunk's UTF-8 bytes; the chunks above are written with single quotes for JSON's double quotes.</summary>
    private static byte[] Utf8(string chunk) => Encoding.UTF8.GetBytes(chunk.Replace('\'', '"'));

    private static ChatCompletionsStreamDecoder Fresh() => new("openai", TimeProvider.System);

    /// <summary>A decoder that has read the recorded role chunk, so that the byte-level reader runs.</summary>
    private static ChatCompletionsStreamDecoder Primed()
    {
        var decoder = Fresh();
        Assert.NotNull(decoder.Decode("message", Utf8("{" + Head + @"'choices':[{'index':0,'delta':{'role':'assistant','content':'','refusal':null},'logprobs':null,'finish_reason':null}],'usage':null}")));
        return decoder;
    }

    /// <summary>The chunk as a fresh decoder reads it (the DTO; its id, model and time are the chunk's own or the primer's, the same here).</summary>
    private static string ThroughDto(string chunk) => Describe(() => Fresh().Decode("message", Utf8(chunk)), primedIdentity: chunk.Contains("chatcmpl-1", StringComparison.Ordinal));

    private static string AfterFirstChunk(string chunk) => Describe(() => Primed().Decode("message", Utf8(chunk)), primedIdentity: chunk.Contains("chatcmpl-1", StringComparison.Ordinal));

    private static string Describe(Func<ChatResponseUpdate?> decode, bool primedIdentity = true)
    {
        ChatResponseUpdate? update;
        try
        {
            update = decode();
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {(ex as ChatProviderException)?.Kind}";
        }

        if (update is null)
        {
            return "none";
        }

        var contents = string.Join("|", update.Contents.Select(c => c switch
        {
            TextContent t => "text:" + t.Text,
            TextReasoningContent r => "reasoning:" + r.Text,
            ErrorContent e => "error:" + e.Message,
            UsageContent u => $"usage:{u.Details.InputTokenCount}/{u.Details.OutputTokenCount}",
            FunctionCallContent f => "call:" + f.Name,
            _ => c.GetType().Name,
        }));

        // Identity fields are compared only where the primer and the chunk agree on them (the decoder keeps the first chunk's).
        var identity = primedIdentity ? $"{update.ResponseId},{update.MessageId},{update.ModelId},{update.CreatedAt:O}" : "-";
        return $"{update.Role}|{update.FinishReason}|{identity}|{contents}";
    }
}
