// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.RateLimiting;

public sealed class RateLimitingChatClientTests
{
    private readonly FakeTimeProvider _time = new();

    private sealed class FixedEstimator(int tokens) : ITokenEstimator
    {
        public int Calls { get; private set; }

        public int EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options)
        {
            Calls++;
            return tokens;
        }
    }

    /// <summary>A client whose calls wait until released, counting how many run at once.</summary>
    private sealed class GatedClient
    {
        private readonly object _lock = new();
        private int _current;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MaxConcurrent { get; private set; }

        public int Started { get; private set; }

        public long? TotalTokens { get; set; }

        public TestChatClient Client => new()
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                lock (_lock)
                {
                    Started++;
                    _current++;
                    MaxConcurrent = Math.Max(MaxConcurrent, _current);
                }

                try
                {
                    await Gate.Task.WaitAsync(ct);
                    return Response("ok", TotalTokens);
                }
                finally
                {
                    lock (_lock)
                    {
                        _current--;
                    }
                }
            },
        };
    }

    private RateLimitingChatClient Create(IChatClient inner, Action<RateLimitingChatClientOptions> configure)
    {
        var options = new RateLimitingChatClientOptions { TimeProvider = _time };
        configure(options);
        return new RateLimitingChatClient(inner, options);
    }

    [Fact]
    public async Task GetResponseAsync_MaxConcurrency_NeverMoreInFlightAndNoneLost()
    {
        var gated = new GatedClient();
        using var client = Create(gated.Client, o => o.MaxConcurrency = 2);

        var tasks = Enumerable.Range(0, 10).Select(_ => client.GetResponseAsync(Prompt())).ToArray();
        await SettleAsync();
        Assert.Equal(2, gated.Started);
        gated.Gate.SetResult();
        var responses = await Task.WhenAll(tasks);

        Assert.Equal(10, responses.Length);
        Assert.Equal(10, gated.Started);
        Assert.Equal(2, gated.MaxConcurrent);
    }

    [Fact]
    public async Task GetResponseAsync_ConcurrencyQueueFull_RejectedWithRateLimited()
    {
        var gated = new GatedClient();
        using var client = Create(gated.Client, o =>
        {
            o.MaxConcurrency = 1;
            o.QueueLimit = 0;
        });

        var first = client.GetResponseAsync(Prompt());
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));
        gated.Gate.SetResult();
        await first;

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal("local_rate_limit", ex.ErrorCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(1, gated.Started);
    }

    [Fact]
    public async Task GetResponseAsync_RequestsPerMinute_ThirdWaitsForTheWindow()
    {
        var inner = Sequence(out var calls, _time, Succeed());
        using var client = Create(inner, o => o.RequestsPerMinute = 2);

        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());
        var third = client.GetResponseAsync(Prompt());
        await SettleAsync(third);
        Assert.False(third.IsCompleted);

        await _time.DriveAsync(third, TimeSpan.FromSeconds(1));

        Assert.Equal(3, calls.Count);
        Assert.InRange(calls[2] - calls[0], TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task GetResponseAsync_RequestsPerMinuteQueueFull_RejectedWithRetryAfterFromLimiter()
    {
        var inner = Sequence(out var calls, _time, Succeed());
        using var client = Create(inner, o =>
        {
            o.RequestsPerMinute = 1;
            o.QueueLimit = 0;
        });

        await client.GetResponseAsync(Prompt());
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.NotNull(ex.RetryAfter);
        Assert.True(ex.RetryAfter > TimeSpan.Zero);
        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_TokensPerMinute_WaitsWhenEstimateDoesNotFit()
    {
        var inner = Sequence(out var calls, _time, _ => Task.FromResult(Response("ok", totalTokens: 70)));
        var estimator = new FixedEstimator(60);
        using var client = Create(inner, o =>
        {
            o.TokensPerMinute = 100;
            o.TokenEstimator = estimator;
        });

        await client.GetResponseAsync(Prompt());
        Assert.Equal(70, client.Limiter.TokensUsed);
        var second = client.GetResponseAsync(Prompt());
        await SettleAsync(second);
        Assert.False(second.IsCompleted);

        await _time.DriveAsync(second, TimeSpan.FromSeconds(1));

        Assert.Equal(2, estimator.Calls);
        Assert.InRange(calls[1] - calls[0], TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task GetResponseAsync_TokensPerMinute_RealUsageBelowEstimateFreesTheRest()
    {
        var inner = Sequence(out var calls, _time, _ => Task.FromResult(Response("ok", totalTokens: 10)));
        using var client = Create(inner, o =>
        {
            o.TokensPerMinute = 100;
            o.TokenEstimator = new FixedEstimator(60);
        });

        await client.GetResponseAsync(Prompt());
        await client.GetResponseAsync(Prompt());

        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0], calls[1]);
        Assert.Equal(20, client.Limiter.TokensUsed);
    }

    [Fact]
    public async Task GetResponseAsync_TokensQueueFull_RejectedWithRetryAfterOfTheWindow()
    {
        var inner = Sequence(out _, _time, _ => Task.FromResult(Response("ok", totalTokens: 90)));
        using var client = Create(inner, o =>
        {
            o.TokensPerMinute = 100;
            o.QueueLimit = 0;
            o.TokenEstimator = new FixedEstimator(50);
        });

        await client.GetResponseAsync(Prompt());
        _time.Advance(TimeSpan.FromSeconds(15));
        var ex = await Assert.ThrowsAsync<ChatProviderException>(() => client.GetResponseAsync(Prompt()));

        Assert.Equal(ChatProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(45), ex.RetryAfter);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_HoldsSlotUntilStreamEndsAndReconcilesUsage()
    {
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => UsageStream(ct),
        };
        using var client = Create(inner, o =>
        {
            o.MaxConcurrency = 1;
            o.TokensPerMinute = 1000;
            o.TokenEstimator = new FixedEstimator(500);
        });

        await using var enumerator = client.GetStreamingResponseAsync(Prompt()).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(1, client.Limiter.InFlight);
        Assert.Equal(500, client.Limiter.TokensUsed);
        while (await enumerator.MoveNextAsync())
        {
        }

        await enumerator.DisposeAsync();
        Assert.Equal(0, client.Limiter.InFlight);
        Assert.Equal(42, client.Limiter.TokensUsed);

        static async IAsyncEnumerable<ChatResponseUpdate> UsageStream([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "hi");
            ct.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 30, OutputTokenCount = 12 })] };
        }
    }

    [Fact]
    public async Task SharedLimiter_TwoClientsWaitInTheSameQueue()
    {
        var gated = new GatedClient();
        using var shared = new ChatRateLimiter(new RateLimitingChatClientOptions { MaxConcurrency = 1, TimeProvider = _time });
        using var a = Create(gated.Client, o => o.SharedLimiter = shared);
        using var b = Create(gated.Client, o => o.SharedLimiter = shared);

        var first = a.GetResponseAsync(Prompt());
        var second = b.GetResponseAsync(Prompt());
        await SettleAsync();
        Assert.Equal(1, gated.Started);
        gated.Gate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(1, gated.MaxConcurrent);
        Assert.Equal(2, gated.Started);
    }

    [Fact]
    public async Task UseRateLimiting_SharedNameInRegistry_SameLimiterForTwoPipelines()
    {
        using var registry = new ChatRateLimiterRegistry();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(registry)
            .BuildServiceProvider();
        var section = Retry.RetryChatClientTests.Section(new() { ["MaxConcurrency"] = "3", ["Shared"] = "key-1" }, "AI:Pipeline:RateLimit");
        using var inner = new TestChatClient();
        using var first = inner.AsBuilder().UseRateLimiting(section).Build(services);
        using var second = inner.AsBuilder().UseRateLimiting(section).Build(services);

        Assert.Same(first.GetService<RateLimitingChatClient>()!.Limiter, second.GetService<RateLimitingChatClient>()!.Limiter);
        Assert.Equal(3, first.GetService<RateLimitingChatClient>()!.Limiter.MaxConcurrency);
        await Task.CompletedTask;
    }

    [Fact]
    public void Registry_SameNameOtherLimits_Throws()
    {
        using var registry = new ChatRateLimiterRegistry();
        registry.GetOrAdd("k", new RateLimitingChatClientOptions { MaxConcurrency = 2 });

        Assert.Throws<InvalidOperationException>(() => registry.GetOrAdd("k", new RateLimitingChatClientOptions { MaxConcurrency = 3 }));
    }

    [Fact]
    public async Task UseRateLimiting_EstimatorFromServices_IsUsed()
    {
        var estimator = new FixedEstimator(5);
        var services = new ServiceCollection().AddSingleton<ITokenEstimator>(estimator).AddSingleton<TimeProvider>(_time).BuildServiceProvider();
        var inner = Sequence(out _, _time, Succeed());
        using var client = inner.AsBuilder().UseRateLimiting(o => o.TokensPerMinute = 1000).Build(services);

        await client.GetResponseAsync(Prompt());

        Assert.Equal(1, estimator.Calls);
    }

    [Fact]
    public async Task Default_Estimator_IsApproximate()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Response("ok")) };
        using var client = Create(inner, o => o.TokensPerMinute = 1000);

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, new string('x', 40))]);

        Assert.Equal(ApproximateTokenEstimator.TokensPerMessage + 10, client.Limiter.TokensUsed);
    }

    [Fact]
    public void UseRateLimiting_NoLimits_AddsNothing()
    {
        using var inner = new TestChatClient();
        using var client = inner.AsBuilder().UseRateLimiting(_ => { }).Build();

        Assert.Same(inner, client);
    }

    [Fact]
    public async Task GetResponseAsync_Waited_TagsActivityWithWait()
    {
        using var activity = new Activity("test").Start();
        var inner = Sequence(out _, _time, Succeed());
        using var client = Create(inner, o => o.RequestsPerMinute = 1);

        await client.GetResponseAsync(Prompt());
        await _time.DriveAsync(client.GetResponseAsync(Prompt()), TimeSpan.FromSeconds(5));

        Assert.True((double)activity.GetTagItem(ResilienceTelemetryNames.RateLimitWaitTag)! >= 50); // seconds, like the histogram
    }

    [Fact]
    public void Bind_ReadsKeys_AndRejectsBadValues()
    {
        var options = new RateLimitingChatClientOptions();
        options.Read(Retry.RetryChatClientTests.Section(
            new() { ["RequestsPerMinute"] = "60", ["TokensPerMinute"] = "90000", ["MaxConcurrency"] = "4", ["QueueLimit"] = "10" }, "AI:Pipeline:RateLimit"));

        Assert.Equal(60, options.RequestsPerMinute);
        Assert.Equal(90000, options.TokensPerMinute);
        Assert.Equal(4, options.MaxConcurrency);
        Assert.Equal(10, options.QueueLimit);
        var ex = Assert.Throws<InvalidOperationException>(() => new RateLimitingChatClientOptions().Read(
            Retry.RetryChatClientTests.Section(new() { ["MaxConcurrency"] = "-1" }, "AI:Pipeline:RateLimit")));
        Assert.Contains("AI:Pipeline:RateLimit:MaxConcurrency", ex.Message, StringComparison.Ordinal);
    }
}
