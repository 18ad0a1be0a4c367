// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Timeout;

/// <summary>Per-call timeout overrides (<see cref="ChatOptionsTimeoutExtensions"/>) and <see cref="TimeoutScope"/>.</summary>
public sealed class TimeoutOverrideTests
{
    private readonly FakeTimeProvider _time = new();

    private TestChatClient Slow(TimeSpan delay, List<ChatOptions?>? seen = null) => new()
    {
        Metadata = new ChatClientMetadata("fake", null, "m"),
        GetResponseAsyncCallback = async (_, options, ct) =>
        {
            seen?.Add(options);
            await Task.Delay(delay, _time, ct);
            return Response("slow");
        },
        GetStreamingResponseAsyncCallback = (_, options, ct) =>
        {
            seen?.Add(options);
            return SlowStream(delay, ct);
        },
    };

    private async IAsyncEnumerable<ChatResponseUpdate> SlowStream(TimeSpan firstDelay, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Delay(firstDelay, _time, ct);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "u0");
        await Task.Delay(TimeSpan.FromSeconds(1), _time, ct);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "u1");
    }

    private TimeoutChatClient Create(IChatClient inner, TimeSpan? timeout, TimeoutScope scope, TimeSpan? firstUpdate = null) =>
        new(inner, new TimeoutChatClientOptions { Timeout = timeout, FirstUpdateTimeout = firstUpdate, Scope = scope, TimeProvider = _time });

    [Fact]
    public async Task GetResponseAsync_ShorterAttemptTimeout_ReplacesTheConfiguredOne()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(30), TimeoutScope.Attempt);
        var start = _time.GetUtcNow();

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithAttemptTimeout(TimeSpan.FromSeconds(2))), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
        Assert.Contains("attempt timeout of 2 s", ex.Message, StringComparison.Ordinal);
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(29)); // wide: fake time is driven in steps, a loaded machine lags
    }

    [Fact]
    public async Task GetResponseAsync_LongerTotalTimeout_LetsASlowCallFinish()
    {
        var seen = new List<ChatOptions?>();
        using var client = Create(Slow(TimeSpan.FromSeconds(5), seen), TimeSpan.FromSeconds(2), TimeoutScope.Total);
        var options = new ChatOptions().WithTotalTimeout(TimeSpan.FromSeconds(10));

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt(), options), TimeSpan.FromMilliseconds(250));

        Assert.Equal("slow", response.Text);
        Assert.Same(options, Assert.Single(seen)); // read, never stripped
        Assert.Equal(TimeSpan.FromSeconds(10), options.GetTotalTimeout());
    }

    [Fact]
    public async Task GetResponseAsync_TotalKey_IsNotReadByTheAttemptClient()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(2), TimeoutScope.Attempt);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithTotalTimeout(TimeSpan.FromSeconds(10))), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_attempt_timeout", ex.ErrorCode);
    }

    [Fact]
    public async Task GetResponseAsync_WithoutTimeouts_RemovesTheConfiguredLimit()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(60)), TimeSpan.FromSeconds(2), TimeoutScope.Total);

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithoutTimeouts()), TimeSpan.FromSeconds(1));

        Assert.Equal("slow", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_NoConfiguredLimit_PerCallLimitStillApplies()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(30)), timeout: null, TimeoutScope.Total);

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithTotalTimeout(TimeSpan.FromSeconds(3))), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_total_timeout", ex.ErrorCode);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ShorterFirstUpdateTimeout_Expires()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(4)), TimeSpan.FromSeconds(60), TimeoutScope.Attempt, firstUpdate: TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<ChatProviderException>(() =>
            _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithFirstUpdateTimeout(TimeSpan.FromSeconds(1)))), TimeSpan.FromMilliseconds(250)));

        Assert.Equal("local_first_update_timeout", ex.ErrorCode);
        Assert.Contains("first-update timeout of 1 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_LongerAttemptTimeout_StreamCompletes()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(4)), TimeSpan.FromSeconds(2), TimeoutScope.Attempt);

        var updates = await _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithAttemptTimeout(TimeSpan.FromSeconds(20)))), TimeSpan.FromMilliseconds(250));

        Assert.Equal(["u0", "u1"], updates.Select(u => u.Text));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WithoutTimeouts_NoConfiguredLimitApplies()
    {
        using var client = Create(Slow(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(2), TimeoutScope.Attempt, firstUpdate: TimeSpan.FromSeconds(1));

        var updates = await _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithoutTimeouts())), TimeSpan.FromSeconds(1));

        Assert.Equal(2, updates.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_InvalidOverride_ThrowsBeforeCallingInner()
    {
        var seen = new List<ChatOptions?>();
        using var client = Create(Slow(TimeSpan.FromSeconds(1), seen), TimeSpan.FromSeconds(2), TimeoutScope.Attempt);
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsTimeoutExtensions.FirstUpdateKey] = "soon" } };

        var ex = Assert.Throws<ArgumentException>(() => client.GetStreamingResponseAsync(Prompt(), options));

        Assert.Contains(ChatOptionsTimeoutExtensions.FirstUpdateKey, ex.Message, StringComparison.Ordinal);
        Assert.Empty(seen);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task GetResponseAsync_InvalidOverride_ThrowsArgumentExceptionNamingTheKey()
    {
        var seen = new List<ChatOptions?>();
        using var client = Create(Slow(TimeSpan.FromSeconds(1), seen), TimeSpan.FromSeconds(2), TimeoutScope.Total);
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsTimeoutExtensions.TotalKey] = -5 } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Prompt(), options));

        Assert.Contains(ChatOptionsTimeoutExtensions.TotalKey, ex.Message, StringComparison.Ordinal);
        Assert.Empty(seen);
    }

    public static TheoryData<object, double> JsonForms() => new()
    {
        { TimeSpan.FromSeconds(30), 30 },
        { 30, 30 },
        { 30L, 30 },
        { 1.5d, 1.5 },
        { "00:00:30", 30 },
        { "45", 45 },
        { JsonDocument.Parse("\"00:01:00\"").RootElement, 60 },
        { JsonDocument.Parse("12").RootElement, 12 },
        { JsonDocument.Parse("\"none\"").RootElement, -0.001 },
        { "none", -0.001 },
    };

    [Theory]
    [MemberData(nameof(JsonForms))]
    public void GetAttemptTimeout_TypedAndJsonForms_Read(object value, double expectedSeconds)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsTimeoutExtensions.AttemptKey] = value } };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.GetAttemptTimeout());
    }

    [Fact]
    public void GetAttemptTimeout_RoundTripThroughJson_SameValue()
    {
        var options = new ChatOptions().WithAttemptTimeout(TimeSpan.FromSeconds(42)).WithTotalTimeout(System.Threading.Timeout.InfiniteTimeSpan);

        var copy = JsonSerializer.Deserialize<ChatOptions>(JsonSerializer.Serialize(options, AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions);

        Assert.Equal(TimeSpan.FromSeconds(42), copy.GetAttemptTimeout());
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, copy.GetTotalTimeout());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData("soon")]
    [InlineData("-00:00:05")]
    [InlineData(true)]
    public void GetTotalTimeout_BadValue_ThrowsNamingKey(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsTimeoutExtensions.TotalKey] = value } };

        var ex = Assert.Throws<ArgumentException>(() => options.GetTotalTimeout());

        Assert.Contains(ChatOptionsTimeoutExtensions.TotalKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTotalTimeout_NotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithTotalTimeout(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithAttemptTimeout(TimeSpan.FromSeconds(-3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithFirstUpdateTimeout(TimeSpan.FromDays(60)));
    }

    [Fact]
    public void Options_UndefinedScope_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TimeoutChatClient(new TestChatClient(), new TimeoutChatClientOptions { Timeout = TimeSpan.FromSeconds(1), Scope = (TimeoutScope)7 }));
    }
}
