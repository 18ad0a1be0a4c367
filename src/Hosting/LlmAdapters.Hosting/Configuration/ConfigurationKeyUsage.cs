// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// Records which keys of a section a stage read (through a <see cref="PathedConfigurationSection"/>), so that a key it
/// never read is reported as unknown: a misspelt <c>Timeout:Totl</c> would otherwise switch nothing on, silently.
/// The known keys are exactly the keys the stage's own reader reads, so there is no second list to keep in step.
/// </summary>
internal sealed class ConfigurationKeyUsage
{
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _enumerated = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Notes that the key at a path relative to the section was read.</summary>
    public void Read(string relativePath) => _read.Add(relativePath);

    /// <summary>Notes that the children of a path were listed: each of them, and all below, is then known (a list or a map).</summary>
    public void Enumerated(string relativePath) => _enumerated.Add(relativePath);

    /// <summary>Adds a message for every key set under <paramref name="section"/> that was never read.</summary>
    /// <param name="section">The section as configured (not the tracking view).</param>
    /// <param name="sectionPath">The path the user wrote, for messages.</param>
    /// <param name="errors">Where messages go.</param>
    public void ReportUnknown(IConfiguration section, string sectionPath, List<string> errors)
    {
        foreach (var (relative, leaf) in Leaves(section, string.Empty))
        {
            if (IsKnown(relative, leaf))
            {
                continue;
            }

            var parent = ParentOf(relative);
            var name = relative[(parent.Length == 0 ? 0 : parent.Length + 1)..];
            var siblings = _read.Where(k => string.Equals(ParentOf(k), parent, StringComparison.OrdinalIgnoreCase))
                .Select(k => k[(parent.Length == 0 ? 0 : parent.Length + 1)..])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.Ordinal)
                .ToList();
            errors.Add(UnknownKeyMessage($"{sectionPath}:{relative}", name, siblings));
        }
    }

    /// <summary>The message for an unknown key: the path, the nearest known key when one is close, and the known keys.</summary>
    public static string UnknownKeyMessage(string path, string key, IReadOnlyCollection<string> known)
    {
        var message = $"{path} is not a known key";
        if (Nearest(key, known) is { } nearest)
        {
            message += $": did you mean '{nearest}'?";
        }
        else
        {
            message += ".";
        }

        return known.Count == 0 ? message + " This section takes no keys." : message + " Known keys: " + string.Join(", ", known) + ".";
    }

    /// <summary>The known key nearest to <paramref name="key"/> (case-insensitive edit distance), when it is close enough to be a typo.</summary>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, Math.Min(key.Length, best.Length) / 3) ? best : null;
    }

    private bool IsKnown(string relative, bool leaf)
    {
        if (_read.Contains(relative))
        {
            return true;
        }

        // The numbered items of a list at the top of the section, or under a key that was read, are the list's.
        var last = relative[(relative.LastIndexOf(':') + 1)..];
        if (IsListItem(last) && (ParentOf(relative).Length == 0 || _read.Contains(ParentOf(relative))))
        {
            return true;
        }

        // A key below a listed section is an item of a list or a map the stage read as a whole.
        for (var parent = ParentOf(relative); ; parent = ParentOf(parent))
        {
            if (_enumerated.Contains(parent))
            {
                return true;
            }

            if (parent.Length == 0)
            {
                break;
            }
        }

        // A section that holds keys (not a value) is reported through its keys, not as a whole.
        return !leaf;
    }

    private static string ParentOf(string relative)
    {
        var colon = relative.LastIndexOf(':');
        return colon < 0 ? string.Empty : relative[..colon];
    }

    private static IEnumerable<(string Relative, bool Leaf)> Leaves(IConfiguration section, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var relative = prefix.Length == 0 ? child.Key : prefix + ":" + child.Key;
            var children = child.GetChildren().Any();
            if (child.Value is not null || !children)
            {
                yield return (relative, true);
            }

            if (children)
            {
                foreach (var nested in Leaves(child, relative))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>Levenshtein distance, two rows.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static bool IsListItem(string key) => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
