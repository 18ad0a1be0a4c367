// Licensed under the MIT License.

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmAdapters;

/// <summary>
/// Masks credential-shaped text (API keys, bearer tokens, <c>key=</c> query parameters) so that it never reaches an
/// exception message or a log.
/// </summary>
/// <remarks>
/// Recognises OpenAI (<c>sk-…</c>, <c>sk-proj-…</c>), Anthropic (<c>sk-ant-…</c>), Google (<c>AIza…</c>),
/// DashScope (<c>sk-…</c>), Groq (<c>gsk_…</c>) keys, <c>Bearer</c> tokens and <c>key</c>/<c>api_key</c> query parameters.
/// Keeps the first four characters of a match so that a person can still tell which key was used. A key is recognised
/// wherever it starts, even glued to the text before it (<c>key=sk-…</c>, <c>%20sk-…</c>, <c>id_sk-…</c>): a word that merely
/// contains <c>sk-</c> followed by 16 or more key characters is masked too, which is the safe side of the trade.
/// </remarks>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces the secret part of a match.</summary>
    public const string Mask = "***";

    /// <summary>Masks every credential-shaped substring of <paramref name="text"/>.</summary>
    /// <param name="text">The text to clean; may be <see langword="null"/>.</param>
    /// <returns>The text with secrets masked, or <see langword="null"/> when <paramref name="text"/> is null.</returns>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = KeyPattern().Replace(text, static m => string.Concat(m.Value.AsSpan(0, Math.Min(4, m.Value.Length)), Mask));
        text = BearerPattern().Replace(text, static m => m.Groups[1].Value + Mask);
        return QueryKeyPattern().Replace(text, static m => m.Groups[1].Value + Mask);
    }

    /// <summary>
    /// Masks <paramref name="secret"/> wherever it appears in <paramref name="text"/>, in any of the encodings a server may
    /// echo it in, and then every credential-shaped substring.
    /// </summary>
    /// <param name="text">The text to clean.</param>
    /// <param name="secret">A secret known to the caller (for example the configured API key); ignored when shorter than 8 characters.</param>
    /// <returns>The cleaned text.</returns>
    /// <remarks>
    /// The forms masked: the secret as it is; with any of its characters percent-encoded (<c>%2D</c>, <c>%2b</c>) or
    /// JSON-escaped (<c>\u002D</c>, <c>\/</c>), in any mix; and its UTF-8 bytes in base64 or base64url at any of the three
    /// alignments it can have inside a longer encoded value (<c>Basic</c> credentials), where the characters that depend on
    /// the secret alone are masked.
    /// </remarks>
    public static string? Redact(string? text, string? secret)
    {
        if (!string.IsNullOrEmpty(text) && secret is { Length: >= 8 })
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
            text = EncodedSecretPattern(secret).Replace(text, Mask);
        }

        return Redact(text);
    }

    /// <summary>Tells whether <paramref name="text"/> holds <paramref name="secret"/> in any form <see cref="Redact(string?, string?)"/> masks.</summary>
    /// <param name="text">The text.</param>
    /// <param name="secret">The secret; a secret shorter than 8 characters is never looked for.</param>
    /// <returns><see langword="true"/> when the secret is there.</returns>
    public static bool Contains(string? text, string? secret) =>
        !string.IsNullOrEmpty(text) && secret is { Length: >= 8 } &&
        (text.Contains(secret, StringComparison.Ordinal) || EncodedSecretPattern(secret).IsMatch(text));

    // One pattern per secret (error paths only, so it is built when needed): each character as itself, %XX or \uXXXX
    // (and "\/" for "/"), or the secret's stable base64/base64url runs.
    private static Regex EncodedSecretPattern(string secret)
    {
        var pattern = new StringBuilder();
        pattern.Append("(?:");
        foreach (var c in secret)
        {
            pattern.Append("(?:").Append(Regex.Escape(c.ToString()));
            if (c < 0x80)
            {
                var hex = ((int)c).ToString("X2", CultureInfo.InvariantCulture);
                pattern.Append("|%").Append(CaseInsensitiveHex(hex));
                pattern.Append(@"|\\u00").Append(CaseInsensitiveHex(hex));
                if (c == '/')
                {
                    pattern.Append(@"|\\/");
                }
            }

            pattern.Append(')');
        }

        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 0; offset < 3; offset++)
        {
            // The secret after `offset` filler bytes: the base64 characters that hold only the secret's bits.
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var base64 = Convert.ToBase64String(padded);
            var first = offset == 0 ? 0 : 4; // a first group holding filler bits is skipped whole
            var last = (offset + bytes.Length) / 3 * 4; // the last group that may hold bits of what follows is left out
            if (last - first >= 8)
            {
                var run = base64[first..last];
                pattern.Append('|').Append(Regex.Escape(run));
                pattern.Append('|').Append(Regex.Escape(run.Replace('+', '-').Replace('/', '_')));
            }
        }

        pattern.Append(')');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static string CaseInsensitiveHex(string hex)
    {
        var builder = new StringBuilder();
        foreach (var digit in hex)
        {
            builder.Append(char.IsLetter(digit) ? $"[{char.ToUpperInvariant(digit)}{char.ToLowerInvariant(digit)}]" : digit.ToString());
        }

        return builder.ToString();
    }

    // No word boundary in front: a key glued to a letter, a digit, an underscore or a URL escape ("id_sk-…", "%20sk-…") is still a key.
    // A hyphen may come percent-encoded or JSON-escaped ("sk%2Dproj-…", "sk\u002Dproj…"), as a gateway echoes it.
    [GeneratedRegex(@"(?:sk(?:-|%2[dD]|\\u002[dD])ant(?:-|%2[dD]|\\u002[dD])(?:[A-Za-z0-9_\-]|%2[dD]|\\u002[dD]){8,}|sk(?:-|%2[dD]|\\u002[dD])(?:[A-Za-z0-9_\-]|%2[dD]|\\u002[dD]){16,}|gsk_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_\-]{20,}|xai-[A-Za-z0-9]{16,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(\bBearer\s+)[A-Za-z0-9_\-\.=+/]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    // "\u0026" is "&" as JSON encoders (Go's among them) write it inside an error body that quotes a URL.
    [GeneratedRegex(@"((?:[?&;,\s]|\\u0026|%26|%20|^)(?:key|api_key|api-key|apikey|x-api-key)=)[^&\s""'\\]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryKeyPattern();
}
