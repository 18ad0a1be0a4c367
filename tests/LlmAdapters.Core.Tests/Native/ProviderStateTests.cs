// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Core.Tests.Native;

/// <summary>Provenance of provider-bound state (issue #22): the mark, its JSON round trip, and what each origin may send.</summary>
public sealed class ProviderStateTests
{
    private const string Anthropic = "anthropic@https://api.anthropic.com";
    private const string Gemini = "gemini@https://generativelanguage.googleapis.com";

    [Theory]
    [InlineData("anthropic", "https://api.anthropic.com/", Anthropic)]
    [InlineData("anthropic", "https://API.Anthropic.com/v1", Anthropic)]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta", Gemini)]
    [InlineData("ollama", "http://127.0.0.1:11434", "ollama@http://127.0.0.1:11434")]
    [InlineData("openai", "https://user:secret@example.com:8443/v1?key=abc", "openai@https://example.com:8443")]
    public void CreateOrigin_DialectAndAuthority_NoPathNoUserInfo(string dialect, string endpoint, string expected) =>
        Assert.Equal(expected, ProviderState.CreateOrigin(dialect, new Uri(endpoint)));

    [Fact]
    public void CreateOrigin_InvalidArgs_Throws()
    {
        Assert.Throws<ArgumentException>(() => ProviderState.CreateOrigin("a@b", new Uri("https://x")));
        Assert.Throws<ArgumentException>(() => ProviderState.CreateOrigin(" ", new Uri("https://x")));
        Assert.Throws<ArgumentException>(() => ProviderState.CreateOrigin("x", new Uri("/relative", UriKind.Relative)));
    }

    [Fact]
    public void Mark_MarksReasoningCallsOpaqueAndPropertied_NotPlainText()
    {
        var reasoning = new TextReasoningContent("why") { ProtectedData = "sig" };
        var call = new FunctionCallContent("c1", "f");
        var opaque = new AIContent();
        var signedText = new TextContent("t") { AdditionalProperties = new() { ["gemini.thought_signature"] = "s" } };
        var text = new TextContent("plain");
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [reasoning, call, opaque, signedText, text]));

        ProviderState.Mark(response, Anthropic);

        Assert.Equal(Anthropic, ProviderState.GetOrigin(reasoning));
        Assert.Equal(Anthropic, ProviderState.GetOrigin(call));
        Assert.Equal(Anthropic, ProviderState.GetOrigin(opaque));
        Assert.Equal(Anthropic, ProviderState.GetOrigin(signedText));
        Assert.Null(ProviderState.GetOrigin(text));
        Assert.Null(text.AdditionalProperties);
    }

    [Fact]
    public void Mark_AlreadyMarked_KeepsTheFirstMark()
    {
        var reasoning = new TextReasoningContent("why");
        ProviderState.Mark(reasoning, Gemini);
        ProviderState.Mark(new ChatResponseUpdate(ChatRole.Assistant, [reasoning]), Anthropic);
        Assert.Equal(Gemini, ProviderState.GetOrigin(reasoning));
    }

    [Fact]
    public void Marks_SurviveJsonSerializationOfChatMessages()
    {
        List<AIContent> contents =
        [
            new TextReasoningContent("thinking") { ProtectedData = "sig-1" },
            new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })
            {
                AdditionalProperties = new() { ["gemini.thought_signature"] = "gsig" },
            },
        ];
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, contents));
        ProviderState.Mark(response, Gemini);

        var json = JsonSerializer.Serialize(response.Messages, AIJsonUtilities.DefaultOptions);
        var back = JsonSerializer.Deserialize<List<ChatMessage>>(json, AIJsonUtilities.DefaultOptions)!;

        var reasoning = Assert.IsType<TextReasoningContent>(back[0].Contents[0]);
        var call = Assert.IsType<FunctionCallContent>(back[0].Contents[1]);
        Assert.Equal(Gemini, ProviderState.GetOrigin(reasoning));
        Assert.Equal(Gemini, ProviderState.GetOrigin(call));
        Assert.Equal("sig-1", reasoning.ProtectedData);
        Assert.False(ProviderState.IsForeign(call, Gemini));
        Assert.True(ProviderState.IsForeign(call, Anthropic));

        // Read back, the other origin leaves the signature out; the same origin keeps it.
        Assert.Same(back, ProviderState.ForTarget(back, Gemini));
        var foreign = Assert.Single(ProviderState.ForTarget(back, Anthropic));
        var strippedCall = Assert.IsType<FunctionCallContent>(Assert.Single(foreign.Contents));
        Assert.False(strippedCall.AdditionalProperties!.ContainsKey("gemini.thought_signature"));
        Assert.Equal("c1", strippedCall.CallId);
    }

    [Fact]
    public void Marks_SurviveStreamingCoalescing()
    {
        // Anthropic streams thinking deltas, then the signature alone: ToChatResponse merges them, keeping the first's properties.
        ChatResponseUpdate[] updates =
        [
            new(ChatRole.Assistant, [new TextReasoningContent("I ")]),
            new(ChatRole.Assistant, [new TextReasoningContent("think")]),
            new(ChatRole.Assistant, [new TextReasoningContent(string.Empty) { ProtectedData = "sig" }]),
            new(ChatRole.Assistant, "Hello"),
        ];
        foreach (var update in updates)
        {
            ProviderState.Mark(update, Anthropic);
        }

        var merged = updates.ToChatResponse();

        var reasoning = Assert.Single(merged.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Equal("I think", reasoning.Text);
        Assert.Equal("sig", reasoning.ProtectedData);
        Assert.Equal(Anthropic, ProviderState.GetOrigin(reasoning));
    }

    [Fact]
    public void ForTarget_NoForeignState_ReturnsTheSameSequence()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("r") { ProtectedData = "legacy-unmarked" }, new TextContent("a")]),
        ];
        Assert.Same(messages, ProviderState.ForTarget(messages, Anthropic));
    }

    [Fact]
    public void ForTarget_ForeignReasoning_DroppedByDefault_TextOnRequest_CallerMessagesUntouched()
    {
        var reasoning = new TextReasoningContent("because") { ProtectedData = "anthropic-sig" };
        var redacted = new TextReasoningContent(string.Empty) { ProtectedData = "enc" };
        var opaque = new AIContent();
        var call = new FunctionCallContent("c1", "f");
        var assistant = new ChatMessage(ChatRole.Assistant, [reasoning, redacted, opaque, new TextContent("answer"), call]) { MessageId = "m1" };
        ProviderState.Mark(new ChatResponse(assistant), Anthropic);
        List<ChatMessage> messages = [new(ChatRole.User, "q"), assistant];

        var dropped = ProviderState.ForTarget(messages, Gemini).ToList();
        var asText = ProviderState.ForTarget(messages, Gemini, new ChatOptions { AdditionalProperties = new() { [ProviderState.ForeignReasoningPropertyName] = "text" } }).ToList();

        Assert.Same(messages[0], dropped[0]);
        Assert.Collection(
            dropped[1].Contents,
            c => Assert.Equal("answer", Assert.IsType<TextContent>(c).Text),
            c => Assert.Equal("c1", Assert.IsType<FunctionCallContent>(c).CallId));
        Assert.Equal("m1", dropped[1].MessageId);
        Assert.Equal(["because", "answer"], asText[1].Contents.OfType<TextContent>().Select(t => t.Text));
        Assert.DoesNotContain(asText[1].Contents, c => c is TextReasoningContent);
        Assert.Equal(5, assistant.Contents.Count);
    }

    [Fact]
    public void ForTarget_ForeignReasoningOption_Invalid_Throws()
    {
        var reasoning = new TextReasoningContent("x");
        ProviderState.Mark(reasoning, Anthropic);
        var options = new ChatOptions { AdditionalProperties = new() { [ProviderState.ForeignReasoningPropertyName] = "keep" } };
        var ex = Assert.Throws<ArgumentException>(() => ProviderState.ForTarget([new ChatMessage(ChatRole.Assistant, [reasoning])], Gemini, options));
        Assert.Contains(ProviderState.ForeignReasoningPropertyName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForTarget_SameDialectOtherEndpoint_IsForeign()
    {
        var reasoning = new TextReasoningContent("x") { ProtectedData = "sig" };
        ProviderState.Mark(reasoning, ProviderState.CreateOrigin("anthropic", new Uri("https://proxy.example.com")));
        var result = Assert.Single(ProviderState.ForTarget([new ChatMessage(ChatRole.Assistant, [reasoning, new TextContent("a")])], Anthropic));
        Assert.DoesNotContain(result.Contents, c => c is TextReasoningContent);
    }

    [Fact]
    public void IsForeignToolTurn_OnlyTheLastAssistantMessageCounts()
    {
        var foreignCall = new FunctionCallContent("c1", "f");
        ProviderState.Mark(foreignCall, Gemini);
        var ownCall = new FunctionCallContent("c2", "f");
        ProviderState.Mark(ownCall, Anthropic);

        Assert.True(ProviderState.IsForeignToolTurn([new(ChatRole.User, "q"), new(ChatRole.Assistant, [foreignCall]), new(ChatRole.Tool, [new FunctionResultContent("c1", "r")])], Anthropic));
        Assert.False(ProviderState.IsForeignToolTurn([new(ChatRole.Assistant, [foreignCall]), new(ChatRole.Assistant, [ownCall])], Anthropic));
        Assert.False(ProviderState.IsForeignToolTurn([new(ChatRole.Assistant, [new FunctionCallContent("c3", "f")])], Anthropic));
    }
}
