// Licensed under the MIT License.

using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Reads the per-call overrides a stage takes from <see cref="ChatOptions.AdditionalProperties"/> (keys in the
/// <see cref="KeyPrefix"/> namespace), in their typed form or in the forms a JSON round-trip produces (<see cref="long"/>,
/// <see cref="double"/>, <see cref="string"/>, <see cref="JsonElement"/>). A value that cannot be read is an
/// <see cref="ArgumentException"/> naming the key, never ignored. A stage declares the keys it reads in
/// <see cref="IChatPipelineStage.CallOverrideKeys"/>; a configured pipeline refuses a key in the namespace that no stage declares.
/// </summary>
public static class ChatCallOverrides
{
    /// <summary>The prefix of every per-call override key: <c>llmadapters.</c>.</summary>
    public const string KeyPrefix = "llmadapters.";

    /// <summary>The string that asks for no limit in a duration override (<see cref="GetDuration"/>).</summary>
    public const string None = "none";

    /// <summary>The longest duration an override may ask for: the longest a timer can wait (about 49.7 days).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Gets a whole-number override.</summary>
    /// <param name="options">The call's options, if any.</param>
    /// <param name="key">The key.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <param name="maximum">The largest value allowed.</param>
    /// <returns>The value, or <see langword="null"/> when the call does not set the key.</returns>
    /// <exception cref="ArgumentException">The value is not a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</exception>
    public static int? GetInt32(ChatOptions? options, string key, int minimum, int maximum)
    {
        if (!TryGetValue(options, key, out var value))
        {
            return null;
        }

        long? number = Unwrap(value) switch
        {
            int i => i,
            long l => l,
            double d when d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
            string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        return number is { } n && n >= minimum && n <= maximum
            ? (int)n
            : throw Invalid(nameof(options), key, value, $"a whole number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Gets a duration override: a <see cref="TimeSpan"/>, a number of seconds, a <see cref="TimeSpan"/> string (<c>00:00:30</c>),
    /// or <see cref="None"/> (or <see cref="Timeout.InfiniteTimeSpan"/>) for no limit.
    /// </summary>
    /// <param name="options">The call's options, if any.</param>
    /// <param name="key">The key.</param>
    /// <returns>
    /// The duration, <see cref="Timeout.InfiniteTimeSpan"/> for no limit, or <see langword="null"/> when the call does not set the key.
    /// </returns>
    /// <exception cref="ArgumentException">The value is not a positive duration of at most <see cref="MaxDuration"/>, nor no limit.</exception>
    public static TimeSpan? GetDuration(ChatOptions? options, string key)
    {
        if (!TryGetValue(options, key, out var value))
        {
            return null;
        }

        TimeSpan? duration = Unwrap(value) switch
        {
            TimeSpan t => t,
            int i => TimeSpan.FromSeconds(i),
            long l when l is > 0 and <= int.MaxValue => TimeSpan.FromSeconds(l),
            double d when double.IsFinite(d) && d is > 0 and <= int.MaxValue => TimeSpan.FromSeconds(d),
            string s when string.Equals(s.Trim(), None, StringComparison.OrdinalIgnoreCase) => Timeout.InfiniteTimeSpan,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds is > 0 and <= int.MaxValue
                => TimeSpan.FromSeconds(seconds),
            string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        return duration is { } d2 && (d2 == Timeout.InfiniteTimeSpan || (d2 > TimeSpan.Zero && d2 <= MaxDuration))
            ? d2
            : throw Invalid(nameof(options), key, value, $"a positive duration of at most {MaxDuration.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days (a TimeSpan, a number of seconds, '00:00:30') or '{None}'");
    }

    /// <summary>Gets an override that is a list of names (a sequence of strings, a JSON array, or one comma-separated string).</summary>
    /// <param name="options">The call's options, if any.</param>
    /// <param name="key">The key.</param>
    /// <returns>The names in order (possibly none), or <see langword="null"/> when the call does not set the key.</returns>
    /// <exception cref="ArgumentException">The value is not a list of non-empty names.</exception>
    public static IReadOnlyList<string>? GetNames(ChatOptions? options, string key)
    {
        if (!TryGetValue(options, key, out var value))
        {
            return null;
        }

        IReadOnlyList<string?>? names = value switch
        {
            string s => s.Length == 0 ? [] : s.Split(',', StringSplitOptions.TrimEntries),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() is { Length: > 0 } s ? s.Split(',', StringSplitOptions.TrimEntries) : [],
            JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : null).ToArray(),
            IEnumerable<string?> list => list.ToArray(),
            System.Collections.IEnumerable list => list.Cast<object?>().Select(o => Unwrap(o) as string).ToArray(),
            _ => null,
        };
        return names is not null && names.All(n => !string.IsNullOrWhiteSpace(n))
            ? names.Select(n => n!.Trim()).ToArray()
            : throw Invalid(nameof(options), key, value, "a list of client names");
    }

    /// <summary>Gets an override that is one value of an enumeration, by value or by name (case-insensitive).</summary>
    /// <typeparam name="TEnum">The enumeration.</typeparam>
    /// <param name="options">The call's options, if any.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when the call does not set the key.</returns>
    /// <exception cref="ArgumentException">The value is not one of the enumeration's named values.</exception>
    public static TEnum? GetEnum<TEnum>(ChatOptions? options, string key)
        where TEnum : struct, Enum
    {
        if (!TryGetValue(options, key, out var value))
        {
            return null;
        }

        TEnum? result = Unwrap(value) switch
        {
            TEnum e => e,
            string s when !s.AsSpan().Trim().IsEmpty && !char.IsAsciiDigit(s.Trim()[0]) && s.Trim()[0] != '-' && Enum.TryParse<TEnum>(s, ignoreCase: true, out var parsed) => parsed,
            int i => (TEnum)Enum.ToObject(typeof(TEnum), i),
            long l => (TEnum)Enum.ToObject(typeof(TEnum), l),
            _ => null,
        };
        return result is { } r && Enum.IsDefined(r)
            ? r
            : throw Invalid(nameof(options), key, value, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }

    /// <summary>Sets or removes an override.</summary>
    /// <param name="options">The call's options.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or <see langword="null"/> to remove the key.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static ChatOptions Set(ChatOptions options, string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (value is null)
        {
            options.AdditionalProperties?.Remove(key);
        }
        else
        {
            (options.AdditionalProperties ??= [])[key] = value;
        }

        return options;
    }

    private static bool TryGetValue(ChatOptions? options, string key, out object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        value = null;
        return options?.AdditionalProperties?.TryGetValue(key, out value) == true;
    }

    /// <summary>A <see cref="JsonElement"/> as the CLR value it holds; anything else as it is.</summary>
    private static object? Unwrap(object? value) => value is JsonElement e
        ? e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number when e.TryGetInt64(out var l) => l,
            JsonValueKind.Number => e.GetDouble(),
            _ => e,
        }
        : value;

    private static ArgumentException Invalid(string paramName, string key, object? value, string expected) =>
        new($"ChatOptions.AdditionalProperties['{key}'] is '{Convert.ToString(value, CultureInfo.InvariantCulture)}' ({value?.GetType().Name ?? "null"}): it must be {expected}.", paramName);
}
