// Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using LlmAdapters.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Benchmarks;

/// <summary>
/// The cost of one <c>RequestsPerMinute</c> (and <c>TokensPerMinute</c>) acquisition with 1,000 and with 200,000 requests
/// already in the sliding minute (issue 16, item 1). The clock is a fake that moves a minute / InWindow per call, so the window stays
/// at InWindow requests spread over the whole minute, as a gateway at that rate would see it; the ratio of the two rows is what
/// counts, the target is ≤ 1.2×.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(QuickConfig))]
public class RateLimitWindowBenchmarks
{
    private FakeTimeProvider _time = null!;
    private TimeSpan _step;
    private ChatRateLimiter _limiter = null!;

    /// <summary>Gets or sets how many requests are already in the window when measuring.</summary>
    [Params(1_000, 200_000)]
    public int InWindow { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        // A limit far above what the run reaches, so no call waits; the window is filled to InWindow and then kept there:
        // every measured call is spaced so that as many requests leave the window as enter it.
        _limiter = new ChatRateLimiter(new RateLimitingChatClientOptions
        {
            RequestsPerMinute = int.MaxValue,
            TokensPerMinute = int.MaxValue,
            TimeProvider = _time,
        });
        var step = TimeSpan.FromTicks(SlidingMinuteWindow.Window.Ticks / InWindow);
        for (var i = 0; i < InWindow; i++)
        {
            Acquire(step);
        }

        _step = step;
    }

    [GlobalCleanup]
    public void Cleanup() => _limiter.Dispose();

    /// <summary>One call: a request and a token reservation, then the real usage given back.</summary>
    [Benchmark]
    public void AcquireAndReconcile() => Acquire(_step);

    private void Acquire(TimeSpan step)
    {
        _time.Advance(step);
        var pending = _limiter.AcquireAsync(100, "bench", CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The limiter waited: the benchmark would measure the fake clock.");
        }

        using var lease = pending.Result;
        lease.Reconcile(40);
    }
}
