// Licensed under the MIT License.

using System.Globalization;

namespace LlmAdapters.Native;

/// <summary>
/// The <c>MaxResponseBytes</c> configuration key every provider descriptor reads into its adapter's response-size cap:
/// a whole number of bytes from <see cref="Minimum"/> (1 KiB) to <see cref="Maximum"/> (1 GiB). For adapter authors: a
/// descriptor lists <see cref="ConfigurationKey"/> among its keys, reports <see cref="Validate"/>'s messages from its
/// configuration check, and reads the value with <see cref="Read"/> when it builds the adapter's options.
/// </summary>
public static class ResponseSizeLimit
{
    /// <summary>The configuration key, beside the client's other keys (e.g. <c>AI:MaxResponseBytes</c>).</summary>
    public const string ConfigurationKey = "MaxResponseBytes";

    /// <summary>The smallest value the key accepts: 1 KiB (a smaller cap would refuse any real answer).</summary>
    public const long Minimum = 1024;

    /// <summary>The largest value the key accepts: 1 GiB (no chat answer comes near it; beyond, the cap protects nothing).</summary>
    public const long Maximum = 1024L * 1024 * 1024;

    /// <summary>Checks a configured value.</summary>
    /// <param name="text">The value as configured, or <see langword="null"/> when the key is not set.</param>
    /// <param name="path">The key's path as the user wrote it, for the message (e.g. <c>AI:Clients:chat:MaxResponseBytes</c>).</param>
    /// <returns>The problem, naming <paramref name="path"/> (the value is a size, never a secret, so it is quoted); none when the value is valid or not set.</returns>
    public static IEnumerable<string> Validate(string? text, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryParse(text, out _) ? [] : [Message(text!, path)];
    }

    /// <summary>Reads a configured value.</summary>
    /// <param name="text">The value as configured, or <see langword="null"/> when the key is not set.</param>
    /// <returns>The cap in bytes, or <see langword="null"/> when the key is not set (the adapter's default then applies).</returns>
    /// <exception cref="InvalidOperationException">The value is not a whole number of bytes in range (a configuration that was not validated first).</exception>
    public static long? Read(string? text) =>
        TryParse(text, out var value) ? value : throw new InvalidOperationException(Message(text!, ConfigurationKey));

    private static bool TryParse(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes is >= Minimum and <= Maximum)
        {
            value = bytes;
            return true;
        }

        return false;
    }

    private static string Message(string text, string path) =>
        $"{path} is '{text}', which is not a whole number of bytes from {Minimum.ToString(CultureInfo.InvariantCulture)} (1 KiB) to {Maximum.ToString(CultureInfo.InvariantCulture)} (1 GiB).";
}
