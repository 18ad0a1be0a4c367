// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Timeout;

public sealed class TimeoutChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private TestChatClient SlowClient(TimeSpan delay, Action<CancellationToken>? observe = null) => new()
    {
        Metadata = new ChatClientMetadata("fake", null, "m"),
        GetResponseAsyncCallback = async (_, _, ct) =>
        {
            observe?.Invoke(ct);
            await Task.Delay(delay, _time, ct);
            return Response("slow");
        },
    };

    private async IAsyncEnumerable<ChatResponseUpdate> SlowStream(TimeSpan firstDelay, TimeSpan nextDelay, int count, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Delay(i == 0 ? firstDelay : nextDelay, _time, ct);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "u" + i);
        }
    }

    private TimeoutChatClient Create(IChatClient inner, TimeSpan? timeout, TimeSpan? firstUpdate = null, TimeoutScope scope = TimeoutScope.Attempt) =>
        new(inner, new TimeoutChatClientOptions { Timeout = timeout, FirstUpdateTimeout = firstUpdate, Scope = scope, TimeProvider = _time });

    [Fact]
    public async Task GetResponseAsync_Expires_ThrowsTimeoutKindAndCancelsInner()
    {
        CancellationToken seen = default;
        using var client = Create(SlowClient(TimeSpan.FromSeconds(30), ct => seen = ct), TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(500)));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal("fake", ex.ProviderName);
        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
        Assert.True(seen.IsCancellationRequested);
        Assert.InRange(_time.GetUtcNow() - new FakeTimeProvider().GetUtcNow(), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(29));
    }

    [Fact]
    public async Task GetResponseAsync_CompletesInTime_ReturnsResponse()
    {
        using var client = Create(SlowClient(TimeSpan.FromSeconds(2)), TimeSpan.FromSeconds(5));

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(500));

        Assert.Equal("slow", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        using var client = Create(SlowClient(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(5));

        var task = client.GetResponseAsync(Prompt(), cancellationToken: cts.Token);
        await SettleAsync(task);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.IsNotType<ChatProviderException>(ex);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_NoFirstUpdateInTime_ThrowsFirstUpdateTimeout()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(20), TimeSpan.Zero, 3, ct) };
        using var client = Create(inner, timeout: null, firstUpdate: TimeSpan.FromSeconds(3));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt())), TimeSpan.FromMilliseconds(500)));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.Equal("local_first_update_timeout", ex.ErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstUpdateInTime_SlowLaterUpdatesNotLimitedByFirstUpdateTimeout()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 3, ct) };
        using var client = Create(inner, timeout: null, firstUpdate: TimeSpan.FromSeconds(3));

        var updates = await _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt())), TimeSpan.FromMilliseconds(500));

        Assert.Equal(["u0", "u1", "u2"], updates.Select(u => u.Text));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WholeStreamTooLong_ThrowsTimeoutAfterSomeUpdates()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), 5, ct) };
        using var client = Create(inner, timeout: TimeSpan.FromSeconds(10), scope: TimeoutScope.Total);
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt()), received), TimeSpan.FromMilliseconds(500)));

        Assert.Equal("local_total_timeout", ex.ErrorCode);
        Assert.Equal(3, received.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_BothLimits_FirstUpdateInTimeThenTotalCountsFromTheStart()
    {
        // First update at 1 s (limit 2 s), then one every 3 s: the total limit of 8 s, counted from the call's start and not
        // from the first update, ends the stream after u0 (1 s), u1 (4 s), u2 (7 s); u3 would come at 10 s.
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 6, ct) };
        using var client = Create(inner, timeout: TimeSpan.FromSeconds(8), firstUpdate: TimeSpan.FromSeconds(2), scope: TimeoutScope.Total);
        var received = new List<ChatResponseUpdate>();
        var start = _time.GetUtcNow();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt()), received), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_total_timeout", ex.ErrorCode);
        Assert.Equal(["u0", "u1", "u2"], received.Select(u => u.Text));
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8.5));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstUpdateLimitNearerThanTotal_ThrowsFirstUpdateTimeout()
    {
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(5), TimeSpan.Zero, 2, ct) };
        using var client = Create(inner, timeout: TimeSpan.FromSeconds(30), firstUpdate: TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt())), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_first_update_timeout", ex.ErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => SlowStream(TimeSpan.FromSeconds(20), TimeSpan.Zero, 1, ct) };
        using var client = Create(inner, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

        var task = CollectAsync(client.GetStreamingResponseAsync(Prompt(), cancellationToken: cts.Token));
        await SettleAsync(task);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.IsNotType<ChatProviderException>(ex);
    }

    [Fact]
    public async Task AttemptTimeoutInsideRetry_ExpiredAttemptsAreRetried()
    {
        var attempts = 0;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                var slow = ++attempts < 3;
                await Task.Delay(slow ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(1), _time, ct);
                return Response("attempt " + attempts);
            },
        };
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time).BuildServiceProvider();
        using var client = inner.AsBuilder()
            .UseRetry(o => o.UseJitter = false)
            .UseTimeout(TimeSpan.FromSeconds(5))
            .Build(services);

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250));

        Assert.Equal("attempt 3", response.Text);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task TotalTimeoutOutsideRetry_StopsRetrying()
    {
        var attempts = 0;
        var inner = new TestChatClient
        {
            Metadata = new ChatClientMetadata("fake", null, "m"),
            GetResponseAsyncCallback = (_, _, _) =>
            {
                attempts++;
                return Task.FromException<ChatResponse>(Error(ChatProviderErrorKind.Overloaded));
            },
        };
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time).BuildServiceProvider();
        using var client = inner.AsBuilder()
            .UseTimeout(o => { o.Timeout = TimeSpan.FromSeconds(4); o.Scope = TimeoutScope.Total; })
            .UseRetry(o => { o.MaxAttempts = 10; o.UseJitter = false; o.BaseDelay = TimeSpan.FromSeconds(1); })
            .Build(services);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromMilliseconds(250)));

        Assert.Equal(ChatProviderErrorKind.Timeout, ex.Kind);
        Assert.Equal("local_total_timeout", ex.ErrorCode);
        Assert.Equal(3, attempts); // at 0 s, 1 s and 3 s; the next would be at 7 s.
    }

    [Fact]
    public async Task UseTimeout_NoTimeoutConfigured_AddsAClientThatAppliesOnlyACallsOwnTimeout()
    {
        // From configuration (the Timeout stage switched on with no value), the client is there for per-call timeouts.
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time).BuildServiceProvider();
        using var client = SlowClient(TimeSpan.FromSeconds(10)).AsBuilder().UseTimeout(RetryTestsSection(new())).Build(services);

        Assert.NotNull(client.GetService<TimeoutChatClient>());
        Assert.Equal("slow", (await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromSeconds(1))).Text);
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithAttemptTimeout(TimeSpan.FromSeconds(2))), TimeSpan.FromMilliseconds(500)));
        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
    }

    [Fact]
    public void UseTimeout_ByCodeWithoutTimeout_AddsNothing()
    {
        using var inner = new TestChatClient();
        using var client = inner.AsBuilder().UseTimeout(timeout: null).Build();

        Assert.Same(inner, client);
    }

    [Fact]
    public void UseTimeout_Section_ReadsAttemptAndFirstUpdate()
    {
        var section = RetryTestsSection(new() { ["Attempt"] = "30s", ["FirstUpdate"] = "2s", ["Total"] = "2m" });
        var attempt = new TimeoutChatClientOptions();
        var total = new TimeoutChatClientOptions();

        attempt.ReadAttempt(section);
        total.ReadTotal(section);

        Assert.Equal(TimeSpan.FromSeconds(30), attempt.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(2), attempt.FirstUpdateTimeout);
        Assert.Equal(TimeoutScope.Attempt, attempt.Scope);
        Assert.Equal(TimeSpan.FromMinutes(2), total.Timeout);
        Assert.Null(total.FirstUpdateTimeout);
        Assert.Equal(TimeoutScope.Total, total.Scope);
    }

    [Fact]
    public void BindTotal_Invalid_MessageNamesKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new TimeoutChatClientOptions().ReadTotal(RetryTestsSection(new() { ["Total"] = "forever" })));

        Assert.Contains("AI:Pipeline:Timeout:Total", ex.Message, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Configuration.IConfigurationSection RetryTestsSection(Dictionary<string, string?> values) =>
        Retry.RetryChatClientTests.Section(values, "AI:Pipeline:Timeout");
}
