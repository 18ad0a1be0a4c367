// Licensed under the MIT License.

using LlmAdapters.TestUtilities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static LlmAdapters.Resilience.Tests.Fakes;

namespace LlmAdapters.Resilience.Tests.Retry;

/// <summary>Per-call retry overrides: <see cref="ChatOptionsRetryExtensions.WithMaxAttempts"/> and <see cref="ChatOptionsRetryExtensions.WithoutRetry"/>.</summary>
public sealed class RetryOverrideTests
{
    private readonly FakeTimeProvider _time = new();

    private RetryChatClient Create(IChatClient inner, int configuredAttempts = 3) =>
        new(inner, new RetryChatClientOptions { TimeProvider = _time, UseJitter = false, MaxAttempts = configuredAttempts });

    [Fact]
    public async Task GetResponseAsync_WithoutRetry_OneAttemptOnly()
    {
        var inner = Sequence(out var calls, _time, Fail(Error(ChatProviderErrorKind.Overloaded)), Succeed());
        using var client = Create(inner);

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(client.GetResponseAsync(Prompt(), new ChatOptions().WithoutRetry())));

        Assert.Single(calls);
    }

    [Fact]
    public async Task GetResponseAsync_WithMaxAttemptsAboveConfigured_GetsThatManyAndKeepsTheConfiguredForOthers()
    {
        var overloaded = Fail(Error(ChatProviderErrorKind.Overloaded));
        var inner = Sequence(out var calls, _time, overloaded, overloaded, overloaded, overloaded, Succeed("fifth"));
        using var client = Create(inner, configuredAttempts: 2);
        var options = new ChatOptions().WithMaxAttempts(5);

        var response = await _time.DriveAsync(client.GetResponseAsync(Prompt(), options));

        Assert.Equal("fifth", response.Text);
        Assert.Equal(5, calls.Count);
        Assert.Equal(5, options.GetMaxAttempts()); // read, never stripped

        var second = Sequence(out var secondCalls, _time, overloaded);
        using var plain = Create(second, configuredAttempts: 2);
        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(plain.GetResponseAsync(Prompt())));
        Assert.Equal(2, secondCalls.Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WithoutRetry_OneAttemptOnly()
    {
        var attempts = 0;
        using var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => ++attempts == 1 ? Failing(Error(ChatProviderErrorKind.Unavailable)) : Stream(["late"], cancellationToken: ct),
        };
        using var client = Create(inner);

        await Assert.ThrowsAsync<ChatProviderException>(() => _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithoutRetry()))));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WithMaxAttempts4_RetriesBeforeTheFirstUpdate()
    {
        var attempts = 0;
        using var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => ++attempts < 4 ? Failing(Error(ChatProviderErrorKind.RateLimited)) : Stream(["at ", "last"], cancellationToken: ct),
        };
        using var client = Create(inner, configuredAttempts: 1);

        var updates = await _time.DriveAsync(CollectAsync(client.GetStreamingResponseAsync(Prompt(), new ChatOptions().WithMaxAttempts(4))));

        Assert.Equal("at last", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(4, attempts);
    }

    [Theory]
    [InlineData("many")]
    [InlineData(0)]
    [InlineData(11)]
    public async Task GetResponseAsync_InvalidOverride_IsAnErrorAndNothingIsSent(object value)
    {
        var inner = Sequence(out var calls, _time, Succeed());
        using var client = Create(inner);
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsRetryExtensions.MaxAttemptsKey] = value } };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Prompt(), options));

        Assert.Contains("llmadapters.retry.max_attempts", ex.Message, StringComparison.Ordinal);
        Assert.Empty(calls);
    }

    [Fact]
    public void WithMaxAttempts_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithMaxAttempts(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithMaxAttempts(ChatOptionsRetryExtensions.MaxAttemptsLimit + 1));
    }

    public static TheoryData<object> JsonForms() => new() { 4, 4L, 4d, "4", System.Text.Json.JsonDocument.Parse("4").RootElement, System.Text.Json.JsonDocument.Parse("\"4\"").RootElement };

    [Theory]
    [MemberData(nameof(JsonForms))]
    public void GetMaxAttempts_TypedAndJsonForms_Read(object value)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ChatOptionsRetryExtensions.MaxAttemptsKey] = value } };

        Assert.Equal(4, options.GetMaxAttempts());
    }
}
