// Licensed under the MIT License.

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

    /// <summary>Masks <paramref name="secret"/> wherever it appears in <paramref name="text"/>, and then every credential-shaped substring.</summary>
    /// <param name="text">The text to clean.</param>
    /// <param name="secret">A secret known to the caller (for example the configured API key); ignored when shorter than 8 characters.</param>
    /// <returns>The cleaned text.</returns>
    public static string? Redact(string? text, string? secret)
    {
        if (!string.IsNullOrEmpty(text) && secret is { Length: >= 8 })
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return Redact(text);
    }

    // No word boundary in front: a key glued to a letter, a digit, an underscore or a URL escape ("id_sk-…", "%20sk-…") is still a key.
    [GeneratedRegex(@"(?:sk-ant-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9_\-]{16,}|gsk_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_\-]{20,}|xai-[A-Za-z0-9]{16,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(\bBearer\s+)[A-Za-z0-9_\-\.=+/]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    // "\u0026" is "&" as JSON encoders (Go's among them) write it inside an error body that quotes a URL.
    [GeneratedRegex(@"((?:[?&;,\s]|\\u0026|%26|%20|^)(?:key|api_key|api-key|apikey|x-api-key)=)[^&\s""'\\]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryKeyPattern();
}
