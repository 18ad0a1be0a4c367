// Licensed under the MIT License.

using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace LlmAdapters.Core.Tests.Errors;

public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("0", 0.0)]
    [InlineData(" 1.5 ", 1.5)]
    [InlineData("120", 120.0)]
    public void Parse_RetryAfterSeconds_ReturnsDelay(string value, double seconds)
    {
        var delay = RetryAfterParser.Parse(Headers(("Retry-After", value)), new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
    }

    [Fact]
    public void Parse_RetryAfterHttpDate_ReturnsDelayFromClock()
    {
        var time = new FakeTimeProvider(s_now);

        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterParser.Parse(Headers(("retry-after", "Mon, 23 Nov 2026 12:00:30 GMT")), time));

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(10), RetryAfterParser.Parse(Headers(("retry-after", "Mon, 23 Nov 2026 12:00:30 GMT")), time));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(Headers(("retry-after", "Mon, 23 Nov 2026 12:00:30 GMT")), time));
    }

    [Fact]
    public void Parse_RetryAfterMs_WinsOverRetryAfter()
    {
        var delay = RetryAfterParser.Parse(Headers(("retry-after-ms", "1500"), ("retry-after", "2")), new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), delay);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Parse_RetryAfterNotUnderstood_ReturnsNull(string value) =>
        Assert.Null(RetryAfterParser.Parse(Headers(("retry-after", value)), new FakeTimeProvider(s_now)));

    [Fact]
    public void Parse_NoHeaders_ReturnsNull() => Assert.Null(RetryAfterParser.Parse(Headers(), new FakeTimeProvider(s_now)));

    [Fact]
    public void Parse_OpenAIResetWhenRemainingIsZero_ReturnsReset()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "6m0s"), ("x-ratelimit-remaining-requests", "499"), ("x-ratelimit-reset-requests", "120ms")),
            new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromMinutes(6), delay);
    }

    [Fact]
    public void Parse_OpenAIResetWhenBudgetLeft_Ignored()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("x-ratelimit-remaining-tokens", "29000"), ("x-ratelimit-reset-tokens", "2s"), ("x-ratelimit-remaining-requests", "5"), ("x-ratelimit-reset-requests", "1m30.5s")),
            new FakeTimeProvider(s_now));

        Assert.Null(delay);
    }

    [Fact]
    public void Parse_OpenAIBothBudgetsSpent_ReturnsLongest()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "2s"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "1m30.5s")),
            new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromSeconds(90.5), delay);
    }

    [Fact]
    public void Parse_AnthropicRfc3339Reset_ReturnsDelayFromClock()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("anthropic-ratelimit-tokens-remaining", "0"), ("anthropic-ratelimit-tokens-reset", "2026-11-23T12:00:45Z"),
                ("anthropic-ratelimit-requests-remaining", "49"), ("anthropic-ratelimit-requests-reset", "2026-11-23T12:05:00Z")),
            new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromSeconds(45), delay);
    }

    [Fact]
    public void Parse_AnthropicOutputTokensResetInPast_ReturnsZero()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("anthropic-ratelimit-output-tokens-remaining", "0"), ("anthropic-ratelimit-output-tokens-reset", "2026-11-23T11:59:00Z")),
            new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.Zero, delay);
    }

    [Fact]
    public void Parse_RetryAfterWinsOverReset()
    {
        var delay = RetryAfterParser.Parse(
            Headers(("retry-after", "2"), ("x-ratelimit-remaining-tokens", "0"), ("x-ratelimit-reset-tokens", "6m0s")),
            new FakeTimeProvider(s_now));

        Assert.Equal(TimeSpan.FromSeconds(2), delay);
    }

    [Fact]
    public void Parse_HttpResponseMessage_ReadsResponseHeaders()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "7");

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterParser.Parse(response, new FakeTimeProvider(s_now)));
    }

    [Fact]
    public void GetHeader_ResponseAndContentHeaders_FirstValue()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("x") };
        response.Headers.TryAddWithoutValidation("x-request-id", ["first", "second"]);

        Assert.Equal("first", RetryAfterParser.GetHeader(response, "X-Request-Id"));
        Assert.Equal("text/plain; charset=utf-8", RetryAfterParser.GetHeader(response, "content-type"));
        Assert.Null(RetryAfterParser.GetHeader(response, "missing"));
    }

    [Theory]
    [InlineData("34.4s", 34_400.0)]
    [InlineData("1m30.5s", 90_500.0)]
    [InlineData("6m0s", 360_000.0)]
    [InlineData("20ms", 20.0)]
    [InlineData("1h", 3_600_000.0)]
    [InlineData("1h2m3s", 3_723_000.0)]
    [InlineData("2", 2_000.0)]
    [InlineData("500us", 0.5)]
    [InlineData("250µs", 0.25)]
    [InlineData("250μs", 0.25)]
    public void ParseDuration_GoDuration_ReturnsValue(string value, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterParser.ParseDuration(value));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("1..2s")]
    [InlineData("2026-11-23T12:00:45Z")]
    public void ParseDuration_NotADuration_ReturnsNull(string value) => Assert.Null(RetryAfterParser.ParseDuration(value));

    [Fact]
    public void Parse_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => RetryAfterParser.Parse((Func<string, string?>)null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => RetryAfterParser.Parse(_ => null, null!));
        Assert.Throws<ArgumentNullException>(() => RetryAfterParser.ParseDuration(null!));
    }

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return name => map.GetValueOrDefault(name);
    }
}
