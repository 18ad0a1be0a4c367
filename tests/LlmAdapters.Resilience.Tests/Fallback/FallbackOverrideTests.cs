// Licensed under the MIT License.

using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Fallback;

/// <summary>Per-call fallback overrides (<see cref="ChatOptionsFallbackExtensions"/>).</summary>
public sealed class FallbackOverrideTests
{
    private readonly FakeTimeProvider _time = new();

    private FallbackChatClient Create(IChatClient primary, params (string Name, IChatClient Client)[] fallbacks) =>
        new(primary, fallbacks.Select(f => new KeyValuePair<string, IChatClient>(f.Name, f.Client)), new FallbackChatClientOptions { TimeProvider = _time, PrimaryName = "a" });

    [Fact]
    public async Task GetResponseAsync_WithoutFallback_PrimaryFailureSurfaces()
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, ("b", b));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt(), new ChatOptions().WithoutFallback()));

        Assert.Equal(ChatProviderErrorKind.Overloaded, ex.Kind);
        Assert.Single(aCalls);
        Assert.Empty(bCalls);
    }

    [Fact]
    public async Task GetResponseAsync_AnotherOrder_FallsBackInThatOrder()
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        var c = Sequence(out var cCalls, _time, Succeed("from c"));
        using var client = Create(a, ("b", b), ("c", c));

        var response = await client.GetResponseAsync(Prompt(), new ChatOptions().WithFallbackClients("c", "b"));

        Assert.Equal("from c", response.Text);
        Assert.Equal("c", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Empty(bCalls);

        // The configured order still holds for a call without the override.
        var plain = await client.GetResponseAsync(Prompt());
        Assert.Equal("from b", plain.Text);
    }

    [Fact]
    public async Task GetResponseAsync_UnknownName_ArgumentExceptionBeforeAnyCall()
    {
        var a = Sequence(out var aCalls, _time, Succeed("from a"));
        var b = Sequence(out _, _time, Succeed("from b"));
        using var client = Create(a, ("b", b));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Prompt(), new ChatOptions().WithFallbackClients("bee")));

        Assert.Contains("'bee'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ChatOptionsFallbackExtensions.ClientsKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Its fallback clients: b", ex.Message, StringComparison.Ordinal);
        Assert.Empty(aCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WithoutFallback_NoFailOver()
    {
        var bCalls = 0;
        var a = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Failing(Error(ChatProviderErrorKind.Unavailable)) };
        var b = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => { bCalls++; return Stream(["B"], cancellationToken: ct); } };
        using var client = Create(a, ("b", b));

        await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithoutFallback())));

        Assert.Equal(0, bCalls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AnotherOrder_ServedByTheNamedClient()
    {
        var a = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Failing(Error(ChatProviderErrorKind.Overloaded)) };
        var b = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["B"], cancellationToken: ct) };
        var c = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["C1", "C2"], cancellationToken: ct) };
        using var client = Create(a, ("b", b), ("c", c));

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithFallbackClients(["c"])));

        Assert.Equal("C1C2", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("c", updates[0].AdditionalProperties?[FallbackChatClient.ServedByKey]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PrimaryNamedAsFallback_ArgumentException()
    {
        var a = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["A"], cancellationToken: ct) };
        using var client = Create(a, ("b", new TestChatClient()));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithFallbackClients("a"))));

        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<object> ListForms() => new()
    {
        new[] { "c", "b" },
        new List<string> { "c", "b" },
        "c, b",
        JsonDocument.Parse("[\"c\",\"b\"]").RootElement,
        JsonDocument.Parse("\"c,b\"").RootElement,
        new object[] { "c", JsonDocument.Parse("\"b\"").RootElement },
    };

    [Theory]
    [MemberData(nameof(ListForms))]
    public void GetFallbackClients_TypedAndJsonForms_Read(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsFallbackExtensions.ClientsKey] = value } };

        Assert.Equal(["c", "b"], options.GetFallbackClients());
    }

    [Fact]
    public void GetFallbackClients_RoundTripThroughJson_SameList()
    {
        var options = new ChatOptions().WithFallbackClients("c", "b");

        var copy = JsonSerializer.Deserialize<ChatOptions>(JsonSerializer.Serialize(options, AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions);

        Assert.Equal(["c", "b"], copy.GetFallbackClients());
        Assert.Empty(new ChatOptions().WithoutFallback().GetFallbackClients()!);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(true)]
    public void GetFallbackClients_BadValue_ThrowsNamingKey(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsFallbackExtensions.ClientsKey] = value } };

        var ex = Assert.Throws<ArgumentException>(() => options.GetFallbackClients());

        Assert.Contains(ChatOptionsFallbackExtensions.ClientsKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithFallbackClients_EmptyOrRepeatedName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ChatOptions().WithFallbackClients("b", " "));
        Assert.Throws<ArgumentException>(() => new ChatOptions().WithFallbackClients("b", "B"));
    }
}
