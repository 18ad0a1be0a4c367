// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Fallback;

public sealed class FallbackChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private FallbackChatClient Create(IChatClient primary, IEnumerable<(string Name, IChatClient Client)> fallbacks, Action<FallbackChatClientOptions>? configure = null)
    {
        var options = new FallbackChatClientOptions { TimeProvider = _time, PrimaryName = "a" };
        configure?.Invoke(options);
        return new FallbackChatClient(primary, fallbacks.Select(f => new KeyValuePair<string, IChatClient>(f.Name, f.Client)), options);
    }

    [Theory]
    [InlineData(ChatProviderErrorKind.Overloaded)]
    [InlineData(ChatProviderErrorKind.RateLimited)]
    [InlineData(ChatProviderErrorKind.Timeout)]
    [InlineData(ChatProviderErrorKind.Unavailable)]
    [InlineData(ChatProviderErrorKind.ModelNotFound)]
    public async Task GetResponseAsync_FailOverKind_NextClientServesAndIsNamed(ChatProviderErrorKind kind)
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(kind)));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)]);

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("from b", response.Text);
        Assert.Equal("b", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Single(aCalls);
        Assert.Single(bCalls);
    }

    [Fact]
    public async Task GetResponseAsync_NetworkError_FailsOver()
    {
        var a = Sequence(out _, _time, Fail(new HttpRequestException("connection refused")));
        var b = Sequence(out _, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)]);

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("from b", response.Text);
    }

    [Theory]
    [InlineData(ChatProviderErrorKind.InvalidRequest)]
    [InlineData(ChatProviderErrorKind.ContentFiltered)]
    [InlineData(ChatProviderErrorKind.ContextLengthExceeded)]
    [InlineData(ChatProviderErrorKind.Authentication)]
    public async Task GetResponseAsync_NonFailOverKind_ThrowsWithoutTryingNext(ChatProviderErrorKind kind)
    {
        var error = Error(kind);
        var a = Sequence(out _, _time, Fail(error));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)]);

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Same(error, thrown);
        Assert.Empty(bCalls);
    }

    [Fact]
    public async Task GetResponseAsync_ConfiguredKinds_OnlyThoseFailOver()
    {
        var a = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.RateLimited)));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)], o => o.FailOverOn = new HashSet<ChatProviderErrorKind> { ChatProviderErrorKind.Unavailable });

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Empty(bCalls);
    }

    [Fact]
    public async Task GetResponseAsync_PrimarySucceeds_NamedPrimaryAndTaggedOnActivity()
    {
        using var activity = new Activity("test").Start();
        var a = Sequence(out _, _time, Succeed("from a"));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)]);

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("a", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal("a", activity.GetTagItem("llmadapters.fallback.client"));
        Assert.Empty(bCalls);
    }

    [Fact]
    public async Task GetResponseAsync_AllFail_ThrowsLastFailure()
    {
        var last = Error(ChatProviderErrorKind.Unavailable, provider: "c");
        var a = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.RateLimited)));
        var c = Sequence(out _, _time, Fail(last));
        using var client = Create(a, [("b", b), ("c", c)]);

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Same(last, thrown);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsBeforeFirstUpdate_FailsOverAndNamesClient()
    {
        var a = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Failing(Error(ChatProviderErrorKind.Overloaded)) };
        var b = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["B1", "B2"], cancellationToken: ct) };
        using var client = Create(a, [("b", b)]);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Prompt()));

        Assert.Equal("B1B2", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("b", updates[0].AdditionalProperties?[FallbackChatClient.ServedByKey]);
        Assert.Equal("b", updates.ToChatResponse().AdditionalProperties?[FallbackChatClient.ServedByKey]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsAfterFirstUpdate_NoFailOver()
    {
        var error = Error(ChatProviderErrorKind.Unavailable);
        var bCalls = 0;
        var a = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["A1"], failAfter: error, cancellationToken: ct) };
        var b = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) =>
            {
                bCalls++;
                return Stream(["B1"], cancellationToken: ct);
            },
        };
        using var client = Create(a, [("b", b)]);
        var received = new List<ChatResponseUpdate>();

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => CollectAsync(client.GetStreamingResponseAsync(Prompt()), received));

        Assert.Same(error, thrown);
        Assert.Equal(["A1"], received.Select(u => u.Text));
        Assert.Equal(0, bCalls);
    }

    [Fact]
    public async Task CircuitBreaker_ClientKeepsFailing_SkippedForBreakDurationThenTriedAgain()
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out var bCalls, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)], o =>
        {
            o.FailureThreshold = 2;
            o.SamplingWindow = TimeSpan.FromSeconds(10);
            o.BreakDuration = TimeSpan.FromSeconds(30);
        });

        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        Assert.True(client.IsCoolingDown("a"));
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        Assert.Equal(2, aCalls.Count);
        Assert.Equal(4, bCalls.Count);

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(client.IsCoolingDown("a"));
        await client.GetResponseAsync(Prompt());

        Assert.Equal(3, aCalls.Count);
        Assert.True(client.IsCoolingDown("a")); // half-open: one more failure opens it again.
    }

    [Fact]
    public async Task CircuitBreaker_FailuresOutsideWindow_DoNotOpen()
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out _, _time, Succeed("from b"));
        using var client = Create(a, [("b", b)], o =>
        {
            o.FailureThreshold = 2;
            o.SamplingWindow = TimeSpan.FromSeconds(10);
        });

        await client.GetResponseAsync(Prompt());
        _time.Advance(TimeSpan.FromSeconds(11));
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());

        Assert.Equal(3, aCalls.Count);
    }

    [Fact]
    public async Task CircuitBreaker_NonFailOverErrors_DoNotCount()
    {
        var a = Sequence(out var aCalls, _time, Fail(Error(ChatProviderErrorKind.InvalidRequest)));
        using var client = Create(a, [("b", Sequence(out _, _time, Succeed()))], o => o.FailureThreshold = 1);

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(2, aCalls.Count);
        Assert.False(client.IsCoolingDown("a"));
    }

    [Fact]
    public async Task CircuitBreaker_AllOpen_FailsFastWithUnavailableAndRetryAfter()
    {
        var a = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var b = Sequence(out var bCalls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        using var client = Create(a, [("b", b)], o =>
        {
            o.FailureThreshold = 1;
            o.BreakDuration = TimeSpan.FromSeconds(20);
        });

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        _time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ChatProviderErrorKind.Unavailable, ex.Kind);
        Assert.Equal("circuit_open", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(15), ex.RetryAfter);
        Assert.Single(bCalls);
    }

    [Fact]
    public async Task UseModelFallback_ModelNotFound_SameClientWithNextModel()
    {
        var models = new List<string?>();
        var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("openai", null, "gpt-4"),
            GetResponseAsyncCallback = (_, options, _) =>
            {
                models.Add(options?.ModelId);
                return options?.ModelId == "gpt-3.5-turbo"
                    ? Task.FromResult(Response("cheaper"))
                    : Task.FromException<ChatResponse>(Error(ChatProviderErrorKind.ModelNotFound));
            },
        };
        using var client = inner.AsBuilder().UseModelFallback(["gpt-3.5-turbo"]).Build();

        var response = await client.GetResponseAsync(Prompt(), new ChatOptions { ModelId = "gpt-4" });

        Assert.Equal("cheaper", response.Text);
        Assert.Equal(["gpt-4", "gpt-3.5-turbo"], models);
        Assert.Equal("gpt-3.5-turbo", response.AdditionalProperties?[FallbackChatClient.ServedByKey]);
    }

    [Fact]
    public async Task UseFallback_Section_ResolvesKeyedClientsByName()
    {
        var backup = Sequence(out _, _time, Succeed("from backup"));
        var services = new ServiceCollection()
            .AddKeyedSingleton<IChatClient>("backup", backup)
            .AddSingleton<TimeProvider>(_time)
            .BuildServiceProvider();
        var section = Retry.RetryChatClientTests.Section(new() { ["Clients:0"] = "backup", ["FailureThreshold"] = "3" }, "AI:Clients:main:Pipeline:Fallback");
        var primary = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        using var client = primary.AsBuilder().UseFallback(section, o => o.PrimaryName = "main").Build(services);

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal("from backup", response.Text);
        Assert.Equal(["main", "backup"], client.GetService<FallbackChatClient>()!.ClientNames);
    }

    [Fact]
    public void UseFallback_SectionWithoutClients_AddsNothing()
    {
        using var inner = new TestChatClient();
        using var client = inner.AsBuilder().UseFallback(Retry.RetryChatClientTests.Section(new(), "AI:Pipeline:Fallback")).Build();

        Assert.Same(inner, client);
    }

    [Fact]
    public void Bind_ReadsKindsAndBreaker_RejectsUnknownKind()
    {
        var options = new FallbackChatClientOptions();
        options.Read(Retry.RetryChatClientTests.Section(new() { ["On"] = "Unavailable, Overloaded", ["BreakDuration"] = "1m" }, "AI:Pipeline:Fallback"));

        Assert.Equal([ChatProviderErrorKind.Overloaded, ChatProviderErrorKind.Unavailable], options.FailOverOn.Order());
        Assert.Equal(TimeSpan.FromMinutes(1), options.BreakDuration);
        var ex = Assert.Throws<InvalidOperationException>(() => new FallbackChatClientOptions().Read(
            Retry.RetryChatClientTests.Section(new() { ["On:0"] = "Sometimes" }, "AI:Pipeline:Fallback")));
        Assert.Contains("AI:Pipeline:Fallback:On", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_DisposesPrimaryButNotFallbacks()
    {
        var a = new TestChatClient();
        var b = new TestChatClient();
        var client = Create(a, [("b", b)]);

        client.Dispose();

        Assert.True(a.Disposed);
        Assert.False(b.Disposed);
    }

    [Fact]
    public void GetService_ReturnsPrimaryMetadata()
    {
        var a = new TestChatClient { Metadata = new ChatClientMetadata("openai", null, "gpt-4") };
        using var client = Create(a, [("b", new TestChatClient())]);

        Assert.Equal("gpt-4", client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Same(client, client.GetService<FallbackChatClient>());
    }
}
