// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting.Tests.Pipeline;

/// <summary>The readers of per-call override values (<see cref="ChatCallOverrides"/>) and the cache mode.</summary>
public sealed class ChatCallOverridesTests
{
    private static ChatOptions With(string key, object value) => new() { AdditionalProperties = new() { [key] = value } };

    public static TheoryData<object, ChatCacheMode> CacheModeForms() => new()
    {
        { ChatCacheMode.Refresh, ChatCacheMode.Refresh },
        { "bypass", ChatCacheMode.Bypass },
        { "Refresh", ChatCacheMode.Refresh },
        { 1, ChatCacheMode.Bypass },
        { 2L, ChatCacheMode.Refresh },
        { JsonDocument.Parse("\"Bypass\"").RootElement, ChatCacheMode.Bypass },
        { JsonDocument.Parse("2").RootElement, ChatCacheMode.Refresh },
    };

    [Theory]
    [MemberData(nameof(CacheModeForms))]
    public void GetCacheMode_TypedAndJsonForms_Read(object value, ChatCacheMode expected) =>
        Assert.Equal(expected, With(ChatOptionsCacheExtensions.ModeKey, value).GetCacheMode());

    [Fact]
    public void GetCacheMode_RoundTripThroughJson_SameMode()
    {
        var options = new ChatOptions().WithCacheRefresh();

        var copy = JsonSerializer.Deserialize<ChatOptions>(JsonSerializer.Serialize(options, AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions);

        Assert.Equal(ChatCacheMode.Refresh, copy.GetCacheMode());
        Assert.Null(new ChatOptions().GetCacheMode());
    }

    [Theory]
    [InlineData("fresh")]
    [InlineData("7")]
    [InlineData(7)]
    [InlineData(true)]
    public void GetCacheMode_BadValue_ThrowsNamingKeyAndTheModes(object value)
    {
        var ex = Assert.Throws<ArgumentException>(() => With(ChatOptionsCacheExtensions.ModeKey, value).GetCacheMode());

        Assert.Contains(ChatOptionsCacheExtensions.ModeKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Use, Bypass, Refresh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithCacheMode_UndefinedValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithCacheMode((ChatCacheMode)9));

    [Theory]
    [InlineData(5, 1, 10, 5)]
    [InlineData(5d, 1, 10, 5)]
    [InlineData("10", 1, 10, 10)]
    public void GetInt32_InRange_Read(object value, int minimum, int maximum, int expected) =>
        Assert.Equal(expected, ChatCallOverrides.GetInt32(With("llmadapters.x.n", value), "llmadapters.x.n", minimum, maximum));

    [Theory]
    [InlineData(11)]
    [InlineData(0)]
    [InlineData(5.5d)]
    [InlineData("five")]
    public void GetInt32_OutOfRangeOrNotWhole_ThrowsNamingKeyAndRange(object value)
    {
        var ex = Assert.Throws<ArgumentException>(() => ChatCallOverrides.GetInt32(With("llmadapters.x.n", value), "llmadapters.x.n", 1, 10));

        Assert.Contains("'llmadapters.x.n'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 10", ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void GetDuration_BeyondTheTimersLimit_Throws() =>
        Assert.Throws<ArgumentException>(() => ChatCallOverrides.GetDuration(With("llmadapters.x.t", TimeSpan.FromDays(50)), "llmadapters.x.t"));

    [Fact]
    public void Getters_KeyAbsentOrNoOptions_Null()
    {
        Assert.Null(ChatCallOverrides.GetInt32(null, "llmadapters.x.n", 1, 2));
        Assert.Null(ChatCallOverrides.GetDuration(new ChatOptions(), "llmadapters.x.t"));
        Assert.Null(ChatCallOverrides.GetNames(new ChatOptions { AdditionalProperties = [] }, "llmadapters.x.l"));
    }

    [Fact]
    public void Set_Null_RemovesTheKey()
    {
        var options = ChatCallOverrides.Set(new ChatOptions(), "llmadapters.x.n", 3);

        ChatCallOverrides.Set(options, "llmadapters.x.n", null);

        Assert.False(options.AdditionalProperties!.ContainsKey("llmadapters.x.n"));
    }
}
