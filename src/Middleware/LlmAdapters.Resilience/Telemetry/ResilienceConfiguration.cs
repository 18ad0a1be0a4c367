// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>Reads configuration values with messages that name the key at fault.</summary>
internal static class ResilienceConfiguration
{
    /// <summary>Reads a duration: <c>00:00:30</c>, <c>30s</c>, <c>500ms</c>, <c>1m30s</c>, or a bare number of seconds.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The duration, or <see langword="null"/> when the key is absent or empty.</returns>
    /// <exception cref="InvalidOperationException">The value is not a positive duration.</exception>
    public static TimeSpan? GetDuration(IConfiguration section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        TimeSpan? parsed = value.Contains(':', StringComparison.Ordinal)
            ? TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null
            : RetryAfterParser.ParseDuration(value);
        if (parsed is not { } result || result <= TimeSpan.Zero)
        {
            throw Invalid(section, key, value, "a positive duration such as 30s, 500ms, 2m or 00:00:30");
        }

        return result;
    }

    /// <summary>Reads a positive integer.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent or empty.</returns>
    /// <exception cref="InvalidOperationException">The value is not an integer of at least <paramref name="minimum"/>.</exception>
    public static int? GetInt32(IConfiguration section, string key, int minimum = 1)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) || result < minimum)
        {
            throw Invalid(section, key, value, "an integer of at least " + minimum.ToString(CultureInfo.InvariantCulture));
        }

        return result;
    }

    /// <summary>Reads a Boolean.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent or empty.</returns>
    /// <exception cref="InvalidOperationException">The value is not <c>true</c> or <c>false</c>.</exception>
    public static bool? GetBoolean(IConfiguration section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return bool.TryParse(value, out var result) ? result : throw Invalid(section, key, value, "true or false");
    }

    /// <summary>Reads an enum value by name (case-insensitive).</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when the key is absent or empty.</returns>
    /// <exception cref="InvalidOperationException">The value is not a name of <typeparamref name="TEnum"/>.</exception>
    public static TEnum? GetEnum<TEnum>(IConfiguration section, string key)
        where TEnum : struct, Enum
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Enum.TryParse<TEnum>(value, ignoreCase: true, out var result) && Enum.IsDefined(result) && !int.TryParse(value, out _)
            ? result
            : throw Invalid(section, key, value, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }

    /// <summary>Reads a list: the children of the key (<c>Key:0</c>, <c>Key:1</c>…) or a comma-separated value.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key, or an empty string for the section itself.</param>
    /// <returns>The trimmed, non-empty items, in order; empty when the key is absent.</returns>
    public static IReadOnlyList<string> GetList(IConfiguration section, string key)
    {
        var child = key.Length == 0 ? section : section.GetSection(key);
        if (child is IConfigurationSection { Value: { } value } && !string.IsNullOrWhiteSpace(value))
        {
            return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return child.GetChildren()
            .Where(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture))
            .Select(c => c.Value?.Trim())
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => v!)
            .ToList();
    }

    /// <summary>Reads a list of error kinds.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The kinds, or <see langword="null"/> when the key is absent.</returns>
    /// <exception cref="InvalidOperationException">An item is not a <see cref="ChatProviderErrorKind"/>.</exception>
    public static HashSet<ChatProviderErrorKind>? GetKinds(IConfiguration section, string key)
    {
        var items = GetList(section, key);
        if (items.Count == 0)
        {
            return null;
        }

        var kinds = new HashSet<ChatProviderErrorKind>();
        foreach (var item in items)
        {
            if (!Enum.TryParse<ChatProviderErrorKind>(item, ignoreCase: true, out var kind) || int.TryParse(item, out _))
            {
                throw Invalid(section, key, item, "error kinds among " + string.Join(", ", Enum.GetNames<ChatProviderErrorKind>()));
            }

            kinds.Add(kind);
        }

        return kinds;
    }

    /// <summary>Gets the path of a key for messages.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <returns>The path, e.g. <c>AI:Pipeline:Retry:MaxAttempts</c>.</returns>
    public static string PathOf(IConfiguration section, string key) =>
        section is IConfigurationSection { Path.Length: > 0 } s ? s.Path + ":" + key : key;

    private static InvalidOperationException Invalid(IConfiguration section, string key, string value, string expected) =>

        // Values of these keys are durations, counts and names: none is a secret, so the value may be shown.
        new($"Configuration key '{PathOf(section, key)}' has the value '{value}'; expected {expected}.");
}
