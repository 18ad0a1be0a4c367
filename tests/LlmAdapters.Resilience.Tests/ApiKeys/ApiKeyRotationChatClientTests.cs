// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.ApiKeys;

public sealed class ApiKeyRotationChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private ApiKeyRotationChatClient Create(IEnumerable<IChatClient> keys, Action<ApiKeyRotationChatClientOptions>? configure = null, FakeLogger? logger = null)
    {
        var options = new ApiKeyRotationChatClientOptions { TimeProvider = _time };
        configure?.Invoke(options);
        return new ApiKeyRotationChatClient(keys, options, logger);
    }

    [Fact]
    public async Task GetResponseAsync_RoundRobin_SpreadsCallsEvenly()
    {
        var k0 = Sequence(out var c0, _time, Succeed("k0"));
        var k1 = Sequence(out var c1, _time, Succeed("k1"));
        var k2 = Sequence(out var c2, _time, Succeed("k2"));
        using var client = Create([k0, k1, k2]);

        var texts = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            texts.Add((await client.GetResponseAsync(Prompt())).Text);
        }

        Assert.Equal(["k0", "k1", "k2", "k0", "k1", "k2"], texts);
        Assert.Equal(2, c0.Count);
        Assert.Equal(2, c1.Count);
        Assert.Equal(2, c2.Count);
    }

    [Fact]
    public async Task GetResponseAsync_LeastInFlight_AvoidsBusyKey()
    {
        var gate = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var k0 = Sequence(out var c0, _time, _ => gate.Task);
        var k1 = Sequence(out var c1, _time, Succeed("k1"));
        using var client = Create([k0, k1], o => o.Strategy = ApiKeySelectionStrategy.LeastInFlight);

        var busy = client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        gate.SetResult(Response("k0"));
        await busy;

        Assert.Single(c0);
        Assert.Equal(3, c1.Count);
    }

    [Fact]
    public async Task GetResponseAsync_AuthenticationFailure_MovesOnAndCoolsKeyDown()
    {
        var k0 = Sequence(out var c0, _time, Fail(Error(ChatProviderErrorKind.Authentication)));
        var k1 = Sequence(out var c1, _time, Succeed("k1"));
        using var client = Create([k0, k1], o => o.AuthenticationCooldown = TimeSpan.FromMinutes(10));

        var first = await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());

        Assert.Equal("k1", first.Text);
        Assert.True(client.IsCoolingDown(0));
        Assert.Single(c0);
        Assert.Equal(3, c1.Count);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(client.IsCoolingDown(0));
        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        Assert.Equal(2, c0.Count);
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_CoolsDownThatLong()
    {
        var k0 = Sequence(out var c0, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromSeconds(7))), Succeed("k0"));
        var k1 = Sequence(out _, _time, Succeed("k1"));
        using var client = Create([k0, k1]);

        Assert.Equal("k1", (await client.GetResponseAsync(Prompt())).Text);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(client.IsCoolingDown(0));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(client.IsCoolingDown(0));
        Assert.Single(c0);
    }

    [Fact]
    public async Task GetResponseAsync_OtherFailure_PropagatesWithoutCooldown()
    {
        var error = Error(ChatProviderErrorKind.InvalidRequest);
        var k0 = Sequence(out _, _time, Fail(error));
        var k1 = Sequence(out var c1, _time, Succeed("k1"));
        using var client = Create([k0, k1]);

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Same(error, thrown);
        Assert.Empty(c1);
        Assert.False(client.IsCoolingDown(0));
    }

    [Fact]
    public async Task GetResponseAsync_EveryKeyRateLimited_ThrowsRateLimitedWithSoonestCooldown()
    {
        var k0 = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromSeconds(30))));
        var k1 = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromSeconds(10))));
        using var client = Create([k0, k1]);

        var last = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        Assert.Equal(TimeSpan.FromSeconds(10), last.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(4));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal("all_keys_cooling_down", ex.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(6), ex.RetryAfter);
    }

    [Fact]
    public async Task GetResponseAsync_EveryKeyRejected_ThrowsAuthentication()
    {
        var k0 = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Authentication)));
        var k1 = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Authentication)));
        using var client = Create([k0, k1]);

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ChatProviderErrorKind.Authentication, ex.Kind);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RateLimitedBeforeFirstUpdate_MovesToNextKey()
    {
        var k0 = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Failing(Error(ChatProviderErrorKind.RateLimited)) };
        var k1 = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(["from k1"], cancellationToken: ct) };
        using var client = Create([k0, k1]);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Prompt()));

        Assert.Equal("from k1", Assert.Single(updates).Text);
        Assert.True(client.IsCoolingDown(0));
    }

    [Fact]
    public async Task Logs_NameKeysByIndexOnly()
    {
        const string Key = "sk-live-0123456789abcdefghijklmnop";
        var logger = new FakeLogger();
        var k0 = Sequence(out _, _time, Fail(new ChatProviderException(ChatProviderErrorKind.Authentication, "openai", "Incorrect API key provided: " + Key)));
        var k1 = Sequence(out _, _time, Succeed());
        using var client = Create([k0, k1], logger: logger);

        await client.GetResponseAsync(Prompt());

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal("ApiKeyCoolingDown", record.Id.Name);
        Assert.Contains("#0", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseApiKeyRotation_Keys_CreatesOneClientPerKeyAndDisposesInner()
    {
        var created = new List<string>();
        var inner = new TestChatClient();
        using var client = inner.AsBuilder()
            .UseApiKeyRotation(
                Retry.RetryChatClientTests.Section(new() { ["0"] = "key-a", ["1"] = "key-b", ["Strategy"] = "LeastInFlight" }, "AI:Pipeline:ApiKeys"),
                key =>
                {
                    created.Add(key);
                    return new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response(key)) };
                })
            .Build();

        var response = await client.GetResponseAsync(Prompt());

        Assert.Equal(["key-a", "key-b"], created);
        Assert.True(inner.Disposed);
        Assert.Equal(2, client.GetService<ApiKeyRotationChatClient>()!.KeyCount);
        Assert.Equal("key-a", response.Text);
    }

    [Fact]
    public void UseApiKeyRotation_OneKey_AddsNothing()
    {
        using var inner = new TestChatClient();
        using var client = inner.AsBuilder().UseApiKeyRotation(["only"], _ => throw new InvalidOperationException()).Build();

        Assert.Same(inner, client);
        Assert.False(inner.Disposed);
    }

    [Fact]
    public void Dispose_DisposesEveryKeyClient()
    {
        var k0 = new TestChatClient();
        var k1 = new TestChatClient();
        var client = Create([k0, k1]);

        client.Dispose();

        Assert.True(k0.Disposed);
        Assert.True(k1.Disposed);
    }

    [Fact]
    public void Ctor_NoClients_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ApiKeyRotationChatClient([]));
        Assert.Throws<ArgumentNullException>(() => new ApiKeyRotationChatClient(null!));
    }
}
