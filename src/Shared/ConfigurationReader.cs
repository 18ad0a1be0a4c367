// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters;

/// <summary>
/// Reads typed configuration values, culture-invariant, with messages that name the key at fault: durations, whole
/// numbers, decimals, flags, enum names, lists and error kinds. Linked as source into each package that reads
/// configuration (Hosting, Resilience, Cost), so that every key is read and reported alike.
/// </summary>
/// <remarks>
/// Each method takes <c>errors</c>: when it is a list, a bad value is added to it as a message and <see langword="null"/>
/// is returned, so that every problem of a configuration is reported at once; when it is <see langword="null"/>, a bad
/// value throws <see cref="InvalidOperationException"/> with that message. Values of these keys are durations, counts,
/// prices and names, never secrets, so a message may quote them.
/// </remarks>
internal static class ConfigurationReader
{
    /// <summary>
    /// The longest duration a key may hold: the limit of .NET timers (<see cref="uint.MaxValue"/> - 1 milliseconds, about
    /// 49.7 days). A longer timeout or window would pass validation and then throw on the first call.
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private const string DurationExamples = "examples: 30 (seconds), 00:00:30, 30s, 1m30s, 250ms";

    /// <summary>
    /// Reads a duration: <c>30</c> (seconds), <c>00:00:30</c>, <c>30s</c>, <c>1m30s</c>, <c>250ms</c>. It must be positive
    /// and at most <see cref="MaxDuration"/>; NaN, infinities and numbers too large for a <see cref="TimeSpan"/> are refused.
    /// </summary>
    public static TimeSpan? GetDuration(IConfiguration configuration, string key, List<string>? errors = null, string? sectionPath = null)
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        var milliseconds = ParseMilliseconds(text);
        if (milliseconds is not { } ms || !double.IsFinite(ms) || ms <= 0)
        {
            return Fail<TimeSpan>(configuration, key, text, $"which is not a positive duration ({DurationExamples})", errors, sectionPath);
        }

        return ms <= MaxDuration.TotalMilliseconds
            ? TimeSpan.FromMilliseconds(ms)
            : Fail<TimeSpan>(configuration, key, text, "which is longer than the longest duration a timer allows (49.7 days, 1193h)", errors, sectionPath);
    }

    /// <summary>
    /// Reads a duration as milliseconds without building a <see cref="TimeSpan"/> (which would throw on overflow): a bare
    /// number is seconds (<see cref="TimeSpan.Parse(string)"/> would read <c>30</c> as 30 days), a text with a colon is a
    /// <see cref="TimeSpan"/>, anything else a Go-style duration (<c>1h30m</c>, <c>250ms</c>).
    /// </summary>
    private static double? ParseMilliseconds(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds * 1000;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span.TotalMilliseconds : null;
        }

        double total = 0;
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            var letters = digits;
            while (letters < rest.Length && char.IsAsciiLetter(rest[letters]))
            {
                letters++;
            }

            double factor = rest[digits..letters] switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1000,
                "ms" => 1,
                _ => double.NaN,
            };
            if (digits == 0 || double.IsNaN(factor) || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            total += number * factor;
            rest = rest[letters..];
        }

        return total;
    }

    /// <summary>Reads a whole number from <paramref name="minimum"/> to <paramref name="maximum"/> (a 32-bit integer at most).</summary>
    public static int? GetInt32(IConfiguration configuration, string key, int minimum = 1, List<string>? errors = null, string? sectionPath = null, int maximum = int.MaxValue)
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        var min = minimum.ToString(CultureInfo.InvariantCulture);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : Fail<int>(configuration, key, text, maximum == int.MaxValue
                ? $"which is not a whole number of at least {min}"
                : $"which is not a whole number from {min} to {maximum.ToString(CultureInfo.InvariantCulture)}", errors, sectionPath);
    }

    /// <summary>Reads a number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static double? GetDouble(IConfiguration configuration, string key, double minimum, double maximum, List<string>? errors = null, string? sectionPath = null)
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : Fail<double>(configuration, key, text, $"which is not a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}", errors, sectionPath);
    }

    /// <summary>Reads a non-negative decimal (an amount of money or a price).</summary>
    public static decimal? GetDecimal(IConfiguration configuration, string key, string what, List<string>? errors = null, string? sectionPath = null)
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : Fail<decimal>(configuration, key, text, "which is not " + what, errors, sectionPath);
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public static bool? GetBoolean(IConfiguration configuration, string key, List<string>? errors = null, string? sectionPath = null)
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        return bool.TryParse(text, out var value) ? value : Fail<bool>(configuration, key, text, "which is neither true nor false", errors, sectionPath);
    }

    /// <summary>Reads the name of a value of <typeparamref name="TEnum"/> (case-insensitive; numbers are refused).</summary>
    public static TEnum? GetEnum<TEnum>(IConfiguration configuration, string key, List<string>? errors = null, string? sectionPath = null)
        where TEnum : struct, Enum
    {
        if (Text(configuration, key) is not { } text)
        {
            return null;
        }

        return TryParseName<TEnum>(text, out var value)
            ? value
            : Fail<TEnum>(configuration, key, text, "which is not one of " + string.Join(", ", Enum.GetNames<TEnum>()), errors, sectionPath);
    }

    /// <summary>
    /// Reads a list: the numbered children of the key (<c>Key:0</c>, <c>Key:1</c>…, in numeric order, so that a sibling
    /// such as <c>Key:Strategy</c> is not taken for an item), or one comma-separated value, as environment variables give it.
    /// </summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="key">The key, or an empty string for <paramref name="configuration"/> itself.</param>
    /// <returns>The trimmed, non-empty items; empty when the key is absent.</returns>
    public static IReadOnlyList<string> GetList(IConfiguration configuration, string key)
    {
        var section = key.Length == 0 ? configuration : configuration.GetSection(key);
        var items = section.GetChildren()
            .Select(c => (Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1, c.Value))
            .Where(c => c.Index >= 0 && !string.IsNullOrWhiteSpace(c.Value))
            .OrderBy(c => c.Index)
            .Select(c => c.Value!.Trim())
            .ToList();
        if (items.Count == 0 && section is IConfigurationSection { Value: { } value } && !string.IsNullOrWhiteSpace(value))
        {
            items = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return items;
    }

    /// <summary>Reads a list of <see cref="ChatProviderErrorKind"/> names; <see langword="null"/> when the key is absent.</summary>
    public static HashSet<ChatProviderErrorKind>? GetKinds(IConfiguration configuration, string key, List<string>? errors = null, string? sectionPath = null)
    {
        var items = GetList(configuration, key);
        if (items.Count == 0)
        {
            return null;
        }

        var kinds = new HashSet<ChatProviderErrorKind>();
        foreach (var item in items)
        {
            if (TryParseName<ChatProviderErrorKind>(item, out var kind))
            {
                kinds.Add(kind);
            }
            else
            {
                Fail<int>(configuration, key, item, "which is not an error kind: " + string.Join(", ", Enum.GetNames<ChatProviderErrorKind>()), errors, sectionPath);
                return null;
            }
        }

        return kinds;
    }

    /// <summary>Gets the path of a key for messages, e.g. <c>AI:Pipeline:Retry:MaxAttempts</c>.</summary>
    public static string PathOf(IConfiguration configuration, string key, string? sectionPath = null)
    {
        sectionPath ??= configuration is IConfigurationSection { Path.Length: > 0 } section ? section.Path : null;
        return sectionPath is null ? key : sectionPath + ":" + key;
    }

    /// <summary>Adds a message to <paramref name="errors"/>, or throws it as an <see cref="InvalidOperationException"/> when there is no list.</summary>
    public static void Report(string message, List<string>? errors)
    {
        if (errors is null)
        {
            throw new InvalidOperationException(message);
        }

        errors.Add(message);
    }

    private static string? Text(IConfiguration configuration, string key) =>
        configuration[key] is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    private static bool TryParseName<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    private static T? Fail<T>(IConfiguration configuration, string key, string text, string reason, List<string>? errors, string? sectionPath)
        where T : struct
    {
        Report($"{PathOf(configuration, key, sectionPath)} is '{text}', {reason}.", errors);
        return null;
    }
}
