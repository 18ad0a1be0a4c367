// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// Reads typed values from configuration with messages that name the key: durations (<c>30</c> seconds, <c>00:00:30</c>, <c>30s</c>,
/// <c>1m30s</c>, <c>250ms</c>), numbers and flags, all culture-invariant.
/// </summary>
internal static class ConfigurationValues
{
    public static TimeSpan? GetDuration(IConfiguration configuration, string key, string path, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A bare number is seconds (TimeSpan.Parse would read "30" as 30 days); "1m30s" is a Go-style duration.
        TimeSpan? value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
            : RetryAfterParser.ParseDuration(text);
        if (value > TimeSpan.Zero)
        {
            return value;
        }

        errors.Add($"{path}:{key} is '{text}', which is not a positive duration (examples: 30 (seconds), 00:00:30, 30s, 1m30s, 250ms).");
        return null;
    }

    public static int? GetInt(IConfiguration configuration, string key, string path, List<string> errors, int min = 1)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        errors.Add($"{path}:{key} is '{text}', which is not a whole number of at least {min.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    public static double? GetDouble(IConfiguration configuration, string key, string path, List<string> errors, double min, double max)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{path}:{key} is '{text}', which is not a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    public static bool? GetBool(IConfiguration configuration, string key, string path, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{path}:{key} is '{text}', which is neither true nor false.");
        return null;
    }

    /// <summary>
    /// Reads a list: the numbered children of a section (<c>Key:0</c>, <c>Key:1</c>…, in numeric order, so that a
    /// sibling such as <c>Key:Strategy</c> is not taken for an item), or one comma-separated value, as environment variables give it.
    /// </summary>
    public static IReadOnlyList<string> GetList(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var items = section.GetChildren()
            .Select(c => (Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1, c.Value))
            .Where(c => c.Index >= 0 && !string.IsNullOrWhiteSpace(c.Value))
            .OrderBy(c => c.Index)
            .Select(c => c.Value!.Trim())
            .ToList();
        if (items.Count == 0 && !string.IsNullOrWhiteSpace(section.Value))
        {
            items = [.. section.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return items;
    }
}
