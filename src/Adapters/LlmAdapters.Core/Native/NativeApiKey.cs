// Licensed under the MIT License.

namespace LlmAdapters.Native;

/// <summary>
/// The rule for an API key sent in an HTTP header: printable ASCII only (no CR, LF or other control character, no
/// character a header cannot carry), so that a pasted key never injects a header nor fails as an outage at send time.
/// </summary>
public static class NativeApiKey
{
    /// <summary>Throws when <paramref name="apiKey"/> cannot be sent in a header. The message names the setting, never the key.</summary>
    /// <param name="apiKey">The key; <see langword="null"/> or empty is accepted (no key is sent).</param>
    /// <param name="settingName">The name of the setting that holds it (e.g. <c>options.ApiKey</c>, <c>AI:ApiKey</c>).</param>
    /// <exception cref="ArgumentException">The key holds a character a header cannot carry.</exception>
    public static void Validate(string? apiKey, string settingName)
    {
        if (GetProblem(apiKey) is { } problem)
        {
            throw new ArgumentException($"The API key in {settingName} {problem}; it cannot be sent in an HTTP header. Check for a pasted line break or quote.", settingName);
        }
    }

    /// <summary>Describes what makes a key unusable in a header, without printing it.</summary>
    /// <param name="apiKey">The key.</param>
    /// <returns><see langword="null"/> when the key is usable (or empty); otherwise what is wrong, with the position of the first bad character.</returns>
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
                return $"contains a line break (at position {i + 1})";
            }

            if (char.IsControl(c))
            {
                return $"contains a control character (at position {i + 1})";
            }

            if (c > '\u007e')
            {
                return $"contains a non-ASCII character (at position {i + 1})";
            }
        }

        return apiKey.Trim().Length != apiKey.Length ? "starts or ends with white space" : null;
    }
}
