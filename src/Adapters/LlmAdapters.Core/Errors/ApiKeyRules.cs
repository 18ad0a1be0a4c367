// Licensed under the MIT License.

namespace LlmAdapters;

/// <summary>
/// The rules an API key must follow before any request carries it in a header: visible ASCII only (<c>!</c> to <c>~</c>),
/// so no CR/LF (header injection), no other control character, no space and no non-ASCII letter. Shared by every adapter's
/// constructor and by configuration validation; the messages never print the key.
/// </summary>
public static class ApiKeyRules
{
    /// <summary>Says what is wrong with a key, without quoting it.</summary>
    /// <param name="apiKey">The key; <see langword="null"/> or empty means "no key" and is accepted (local servers take none).</param>
    /// <returns>A sentence naming the problem and the position of the first bad character, or <see langword="null"/> when the key is acceptable.</returns>
    public static string? GetProblem(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return null;
        }

        for (var i = 0; i < apiKey.Length; i++)
        {
            var c = apiKey[i];
            if (c is '\r' or '\n')
            {
                return $"contains a line break at position {i + 1} (a pasted newline?); a key must be a single line";
            }

            if (char.IsControl(c))
            {
                return $"contains a control character at position {i + 1}";
            }

            if (c == ' ' || char.IsWhiteSpace(c))
            {
                return $"contains white space at position {i + 1}";
            }

            if (c > '~')
            {
                return $"contains a non-ASCII character at position {i + 1}, which an HTTP header cannot carry";
            }
        }

        return null;
    }

    /// <summary>Throws when a key breaks the rules.</summary>
    /// <param name="apiKey">The key; <see langword="null"/> or empty is accepted.</param>
    /// <param name="path">Where the key came from, e.g. the configuration path <c>AI:Clients:main:ApiKey</c> or <c>options.ApiKey</c>.</param>
    /// <exception cref="ArgumentException">The key contains a character a header cannot carry; the message names <paramref name="path"/> and never the key.</exception>
    public static void Validate(string? apiKey, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (GetProblem(apiKey) is { } problem)
        {
            throw new ArgumentException($"The API key at '{path}' {problem}. The key is not shown.", path);
        }
    }
}
