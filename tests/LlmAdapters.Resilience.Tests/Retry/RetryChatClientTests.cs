// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Retry;

public sealed class RetryChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private RetryChatClient Create(IChatClient inner, Action<RetryChatClientOptions>? configure = null, FakeLogger? logger = null)
    {
        var options = new RetryChatClientOptions { TimeProvider = _time, UseJitter = false };
        configure?.Invoke(options);
        return new RetryChatClient(inner, options, logger);
    }

    [Theory]
    [InlineData(ChatProviderErrorKind.RateLimited)]
    [InlineData(ChatProviderErrorKind.Overloaded)]
    [InlineData(ChatProviderErrorKind.Timeout)]
    [InlineData(ChatProviderErrorKind.Unavailable)]
    public async Task GetResponseAsync_TransientKind_RetriedUntilSuccess(ChatProviderErrorKind kind)
    {
        var inner = Sequence(out var calls, _time, Fail(Error(kind)), Fail(Error(kind)), Succeed("third time"));
        using var client = Create(inner);

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt()));

        Assert.Equal("third time", response.Text);
        Assert.Equal(3, calls.Count);
    }

    [Theory]
    [InlineData(ChatProviderErrorKind.Authentication)]
    [InlineData(ChatProviderErrorKind.PermissionDenied)]
    [InlineData(ChatProviderErrorKind.InvalidRequest)]
    [InlineData(ChatProviderErrorKind.ContentFiltered)]
    [InlineData(ChatProviderErrorKind.ContextLengthExceeded)]
    [InlineData(ChatProviderErrorKind.ModelNotFound)]
    [InlineData(ChatProviderErrorKind.Unknown)]
    public async Task GetResponseAsync_PermanentKind_NotRetried(ChatProviderErrorKind kind)
    {
        var error = Error(kind);
        var inner = Sequence(out var calls, _time, Fail(error), Succeed());
        using var client = Create(inner);

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt())));

        Assert.Same(error, thrown);
        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_NetworkErrors_Retried()
    {
        var inner = Sequence(out var calls, _time, Fail(new HttpRequestException("reset")), Fail(new IOException("broken pipe")), Succeed());
        using var client = Create(inner);

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt()));

        Assert.Equal("ok", response.Text);
        Assert.Equal(3, calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_ExhaustedQuota_NotRetried()
    {
        var quota = new ChatProviderException(ChatProviderErrorKind.RateLimited, "fake", "You exceeded your current quota") { IsTransient = false };
        var inner = Sequence(out var calls, _time, Fail(quota), Succeed());
        using var client = Create(inner);

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt())));

        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_NoJitter_BackoffDoublesFromBaseDelay()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Fail(Error(ChatProviderErrorKind.Overloaded)), Succeed());
        using var client = Create(inner, o => o.BaseDelay = TimeSpan.FromSeconds(1));

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(100));

        AssertNear(TimeSpan.FromSeconds(1), calls[1] - calls[0]);
        AssertNear(TimeSpan.FromSeconds(2), calls[2] - calls[1]);
    }

    [Fact]
    public async Task GetResponseAsync_Jitter_DelaysStayWithinMaxDelay()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        using var client = Create(inner, o =>
        {
            o.UseJitter = true;
            o.MaxAttempts = 6;
            o.BaseDelay = TimeSpan.FromSeconds(1);
            o.MaxDelay = TimeSpan.FromSeconds(4);
        });

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(100)));

        Assert.Equal(6, calls.Count);
        for (var i = 1; i < calls.Count; i++)
        {
            Assert.InRange(calls[i] - calls[i - 1], TimeSpan.Zero, TimeSpan.FromSeconds(4.2));
        }
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterWithinMax_WaitsThatLong()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromSeconds(7))), Succeed());
        using var client = Create(inner);

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(100));

        AssertNear(TimeSpan.FromSeconds(7), calls[1] - calls[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task GetResponseAsync_RetryAfterZeroOrTiny_WaitsAtLeastTheFloor(int retryAfterMs)
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromMilliseconds(retryAfterMs))), Succeed());
        using var client = Create(inner);

        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(50));

        Assert.True(calls[1] - calls[0] >= RetryConstants.RetryAfterFloor, $"waited {(calls[1] - calls[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondMax_FailsAtOnceWithServerException()
    {
        var error = Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromSeconds(120));
        var inner = Sequence(out var calls, _time, Fail(error), Succeed());
        using var client = Create(inner, o => o.MaxDelay = TimeSpan.FromSeconds(30));
        var start = _time.GetUtcNow();

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Same(error, thrown);
        Assert.Single(calls);
        Assert.Equal(start, _time.GetUtcNow());
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondMax_LogsWhyItGaveUp()
    {
        var logger = new FakeLogger();
        var inner = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.RateLimited, TimeSpan.FromMinutes(5))));
        using var client = Create(inner, logger: logger);

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(["RetryAfterTooLong", "GaveUp"], logger.Collector.GetSnapshot().Select(r => r.Id.Name));
    }

    [Fact]
    public async Task GetResponseAsync_PermanentFailure_NoGiveUpLog()
    {
        var logger = new FakeLogger();
        var inner = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.InvalidRequest)));
        using var client = Create(inner, logger: logger);

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task GetResponseAsync_AlwaysFailing_StopsAtMaxAttemptsWithLastException()
    {
        var last = Error(ChatProviderErrorKind.Unavailable);
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Fail(Error(ChatProviderErrorKind.Overloaded)), Fail(Error(ChatProviderErrorKind.Overloaded)), Fail(last));
        using var client = Create(inner, o => o.MaxAttempts = 4);

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt())));

        Assert.Same(last, thrown);
        Assert.Equal(4, calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_MaxAttemptsOne_NoRetry()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Succeed());
        using var client = Create(inner, o => o.MaxAttempts = 1);

        await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsDuringBackoff_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Succeed());
        using var client = Create(inner, o => o.BaseDelay = TimeSpan.FromSeconds(10));

        var task = client.GetResponseAsync(Prompt(), cancellationToken: cts.Token);
        await SettleAsync(task);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_InnerThrowsCallerCancellation_NotRetried()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var inner = Sequence(out var calls, _time, ct => Task.FromCanceled<ChatResponse>(ct));
        using var client = Create(inner);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Prompt(), cancellationToken: cts.Token));

        Assert.True(calls.Count <= 1);
    }

    [Fact]
    public async Task GetResponseAsync_CustomShouldRetry_Replaces_Default()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.ModelNotFound)), Succeed());
        using var client = Create(inner, o => o.ShouldRetry = ex => ex is ChatProviderException { Kind: ChatProviderErrorKind.ModelNotFound });

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt()));

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_SetsAttemptsOnCurrentActivity()
    {
        using var activity = new Activity("test").Start();
        var inner = Sequence(out _, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Succeed());
        using var client = Create(inner);

        await _time.DriveAsync(client.GetResponseAsync(Prompt()));

        Assert.Equal(2, activity.GetTagItem("llmadapters.retry.attempts"));
    }

    [Fact]
    public async Task GetResponseAsync_Logs_RetryWithoutSecrets()
    {
        const string Secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
        var logger = new FakeLogger();
        var error = new ChatProviderException(ChatProviderErrorKind.Overloaded, "fake", "overloaded for key " + Secret);
        var inner = Sequence(out _, _time, Fail(error), Succeed());
        using var client = Create(inner, logger: logger);

        await _time.DriveAsync(client.GetResponseAsync(Prompt()));

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal("Retrying", record.Id.Name);
        Assert.Contains("Overloaded", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmnop", record.Message, StringComparison.Ordinal);
        Assert.Null(record.Exception);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsBeforeFirstUpdate_Retried()
    {
        var attempts = 0;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => ++attempts == 1
                ? Failing(Error(ChatProviderErrorKind.Overloaded))
                : Stream(["Hel", "lo"], cancellationToken: ct),
        };
        using var client = Create(inner);

        var updates = await _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt())));

        Assert.Equal(2, attempts);
        Assert.Equal("Hello", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsAfterFirstUpdate_NotRetriedNoDuplicateText()
    {
        var attempts = 0;
        var error = Error(ChatProviderErrorKind.Unavailable);
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) =>
            {
                attempts++;
                return Stream(["Hel", "lo"], failAfter: error, cancellationToken: ct);
            },
        };
        using var client = Create(inner);
        var received = new List<ChatResponseUpdate>();

        var thrown = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt()), received)));

        Assert.Same(error, thrown);
        Assert.Equal(1, attempts);
        Assert.Equal("Hello", string.Concat(received.Select(u => u.Text)));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_PermanentKindBeforeFirstUpdate_NotRetried()
    {
        var attempts = 0;
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, _) =>
            {
                attempts++;
                return Failing(Error(ChatProviderErrorKind.ContentFiltered));
            },
        };
        using var client = Create(inner);

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt()))));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_EmptyStream_CompletesWithoutUpdates()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => Stream([], cancellationToken: ct) };
        using var client = Create(inner);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(Prompt()));

        Assert.Empty(updates);
    }

    [Fact]
    public void Ctor_InvalidOptions_Throws()
    {
        using var inner = new TestChatClient();
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryChatClient(inner, new RetryChatClientOptions { MaxAttempts = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryChatClient(inner, new RetryChatClientOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentNullException>(() => new RetryChatClient(null!));
    }

    [Fact]
    public void Bind_ReadsKeys()
    {
        var section = Section(new() { ["MaxAttempts"] = "5", ["MaxDelay"] = "45s", ["BaseDelay"] = "00:00:02", ["UseJitter"] = "false" });
        var options = new RetryChatClientOptions();

        options.Read(section);

        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(45), options.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BaseDelay);
        Assert.False(options.UseJitter);
    }

    [Theory]
    [InlineData("MaxAttempts", "zero", "AI:Pipeline:Retry:MaxAttempts")]
    [InlineData("MaxAttempts", "0", "AI:Pipeline:Retry:MaxAttempts")]
    [InlineData("MaxDelay", "soon", "AI:Pipeline:Retry:MaxDelay")]
    [InlineData("MaxDelay", "-5s", "AI:Pipeline:Retry:MaxDelay")]
    public void Bind_InvalidValue_MessageNamesKey(string key, string value, string path)
    {
        var section = Section(new() { [key] = value });

        var ex = Assert.Throws<InvalidOperationException>(() => new RetryChatClientOptions().Read(section));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRetry_Section_UsesConfiguredAttemptsAndTimeProviderFromServices()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .BuildServiceProvider();
        using var client = inner.AsBuilder().UseRetry(Section(new() { ["MaxAttempts"] = "2", ["UseJitter"] = "false" })).Build(services);

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt())));

        Assert.Equal(2, calls.Count);
        AssertNear(TimeSpan.FromSeconds(1), calls[1] - calls[0]);
        Assert.NotNull(client.GetService<RetryChatClient>());
    }

    [Fact]
    public void UseRetry_InvalidSection_ThrowsAtOnce()
    {
        using var inner = new TestChatClient();
        Assert.Throws<InvalidOperationException>(() => inner.AsBuilder().UseRetry(Section(new() { ["MaxAttempts"] = "many" })));
    }

    internal static IConfigurationSection Section(Dictionary<string, string?> values, string path = "AI:Pipeline:Retry") =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>(path + ":" + kv.Key, kv.Value)))
            .Build()
            .GetSection(path);

    private static void AssertNear(TimeSpan expected, TimeSpan actual) =>
        Assert.InRange(actual, expected - TimeSpan.FromMilliseconds(1), expected + TimeSpan.FromMilliseconds(250));
}
