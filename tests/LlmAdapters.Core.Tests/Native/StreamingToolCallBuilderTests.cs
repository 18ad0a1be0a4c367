// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.Native;

namespace LlmAdapters.Core.Tests.Native;

public sealed class StreamingToolCallBuilderTests
{
    [Fact]
    public void Fragments_BecomeOneCompleteCallPerIndex_InIndexOrder()
    {
        var builder = new StreamingToolCallBuilder();
        builder.Append(1, "call_b", "time", null);
        builder.Append(0, "call_a", "weather", "{\"city\":");
        builder.Append(0, null, null, "\"Paris\",\"days\":[1,2]}");

        var calls = builder.CompleteAll();

        Assert.False(builder.HasPending);
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal("Paris", ((JsonElement)calls[0].Arguments!["city"]!).GetString());
        Assert.Equal(2, ((JsonElement)calls[0].Arguments!["days"]!).GetArrayLength());
        Assert.Empty(calls[1].Arguments!);
    }

    [Fact]
    public void Complete_WithoutAnId_UsesTheFallback()
    {
        var builder = new StreamingToolCallBuilder();
        builder.Append(3, null, "f", "{}");

        var call = builder.Complete(3, static () => "generated");

        Assert.Equal("generated", call!.CallId);
        Assert.Null(builder.Complete(3));
    }

    [Fact]
    public void Complete_ArgumentsThatDoNotParse_SetTheCallsExceptionInsteadOfThrowing()
    {
        var builder = new StreamingToolCallBuilder();
        builder.Append(0, "c", "f", "{\"city\":");

        var call = builder.Complete(0)!;

        Assert.NotNull(call.Exception);
    }
}
