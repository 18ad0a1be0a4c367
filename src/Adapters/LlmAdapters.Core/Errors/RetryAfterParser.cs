// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters;

/// <summary>
/// Reads how long a provider asks the caller to wait from its response headers: <c>retry-after-ms</c>,
/// <c>Retry-After</c> (seconds or HTTP-date), and, for a budget whose <c>remaining</c> header is 0, the reset headers of OpenAI (<c>x-ratelimit-reset-requests</c>,
/// <c>x-ratelimit-reset-tokens</c>: <c>1m30.5s</c>) and Anthropic (<c>anthropic-ratelimit-*-reset</c>: RFC 3339 time).
/// </summary>
/// <remarks>Never throws on a hostile value: a wait too large for <see cref="TimeSpan"/> (<c>1e20</c>, <c>Infinity</c>, 14+ digits)
/// is capped at <see cref="MaxDelay"/>, and <c>NaN</c> or a negative value is ignored.</remarks>
internal static class RetryAfterParser
{
    /// <summary>The longest wait this parser reports; anything a server asks beyond it is read as this.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private static readonly string[] s_resetHeaders =
    [
        "x-ratelimit-reset-requests",
        "x-ratelimit-reset-tokens",
        "anthropic-ratelimit-requests-reset",
        "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-reset",
        "anthropic-ratelimit-output-tokens-reset",
    ];

    /// <summary>Reads the wait a response asks for.</summary>
    /// <param name="getHeader">Returns the first value of a header by (case-insensitive) name, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock used to turn an absolute time into a delay.</param>
    /// <returns>The delay, never negative, or <see langword="null"/> when the response asks for none.</returns>
    public static TimeSpan? Parse(Func<string, string?> getHeader, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(getHeader);
        ArgumentNullException.ThrowIfNull(timeProvider);

        if (getHeader("retry-after-ms") is { } ms &&
            double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return FromMilliseconds(milliseconds);
        }

        if (getHeader("retry-after") is { } retryAfter && ParseRetryAfterValue(retryAfter, timeProvider) is { } fromHeader)
        {
            return fromHeader;
        }

        TimeSpan? longest = null;
        foreach (var name in s_resetHeaders)
        {
            // A reset time only says when a budget refills: it matters only for a budget that is spent.
            if (getHeader(name.Replace("-reset", "-remaining", StringComparison.Ordinal)) is "0" &&
                getHeader(name) is { } value && ParseResetValue(value, timeProvider) is { } reset && (longest is null || reset > longest))
            {
                longest = reset;
            }
        }

        return longest;
    }

    /// <summary>Reads the wait a response asks for from <see cref="HttpResponseMessage"/> headers.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock used to turn an absolute time into a delay.</param>
    /// <returns>The delay, or <see langword="null"/>.</returns>
    public static TimeSpan? Parse(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Parse(name => GetHeader(response, name), timeProvider);
    }

    /// <summary>Gets the first value of a response or content header, or <see langword="null"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="name">The header name.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public static string? GetHeader(HttpResponseMessage response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues(name, out var values) ||
            (response.Content is not null && response.Content.Headers.TryGetValues(name, out values)))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Parses a <c>Retry-After</c> value: delta seconds or an HTTP-date.</summary>
    /// <param name="value">The header value.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The delay, or <see langword="null"/> when the value is not understood.</returns>
    public static TimeSpan? ParseRetryAfterValue(string value, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(timeProvider);
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? FromMilliseconds(seconds * 1000) : null;
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ||
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            var delay = date - timeProvider.GetUtcNow();
            return delay > TimeSpan.Zero ? Cap(delay) : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Parses a Go-style duration such as <c>1m30.5s</c>, <c>20ms</c> or <c>34.4s</c>.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The duration, or <see langword="null"/> when the text is not one.</returns>
    public static TimeSpan? ParseDuration(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = value.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return null;
        }

        double totalMs = 0;
        while (!span.IsEmpty)
        {
            var i = 0;
            while (i < span.Length && (char.IsAsciiDigit(span[i]) || span[i] == '.'))
            {
                i++;
            }

            if (i == 0 || !double.TryParse(span[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            span = span[i..];
            var j = 0;
            while (j < span.Length && char.IsLetter(span[j]))
            {
                j++;
            }

            var unit = span[..j];
            span = span[j..];
            double factor = unit switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" or "" => 1000,
                "ms" => 1,
                "us" or "µs" or "μs" => 0.001, // Go writes U+00B5; U+03BC is accepted too.
                "ns" => 0.000001,
                _ => double.NaN,
            };
            if (double.IsNaN(factor))
            {
                return null;
            }

            totalMs += number * factor;
        }

        return FromMilliseconds(totalMs);
    }

    // TimeSpan.FromMilliseconds throws OverflowException above ~2.9e14 ms and on infinities: cap first, NaN is no answer.
    private static TimeSpan? FromMilliseconds(double milliseconds) =>
        double.IsNaN(milliseconds) || milliseconds < 0 ? null
        : milliseconds >= MaxDelay.TotalMilliseconds ? MaxDelay
        : TimeSpan.FromMilliseconds(milliseconds);

    private static TimeSpan Cap(TimeSpan delay) => delay > MaxDelay ? MaxDelay : delay;

    private static TimeSpan? ParseResetValue(string value, TimeProvider timeProvider)
    {
        if (ParseDuration(value) is { } duration)
        {
            return duration;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var delay = at - timeProvider.GetUtcNow();
            return delay > TimeSpan.Zero ? Cap(delay) : TimeSpan.Zero;
        }

        return null;
    }
}
