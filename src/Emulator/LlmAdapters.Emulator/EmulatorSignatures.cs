// Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;

namespace LlmAdapters.Emulator;

/// <summary>
/// The signatures one emulator server issues, verifiable by that server alone: an HMAC-SHA256 under a secret drawn when the
/// server starts, over the dialect and what is signed. A signature of another server, of another dialect of the same server,
/// or of another provider never verifies, as the real services refuse state they did not issue.
/// </summary>
public sealed class EmulatorSignatures
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>Signs content, as Anthropic signs a thinking block: the signature is valid for that exact content only.</summary>
    /// <param name="dialect">The dialect that issues it.</param>
    /// <param name="content">The signed content (the thinking text).</param>
    /// <returns>The signature, base64.</returns>
    public string Sign(string dialect, string content) => Convert.ToBase64String(Mac(dialect, content));

    /// <summary>Gets whether <paramref name="signature"/> is this server's signature of <paramref name="content"/> for <paramref name="dialect"/>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="content">The content sent back with the signature.</param>
    /// <param name="signature">The signature sent back.</param>
    /// <returns><see langword="true"/> when this server issued it for that content.</returns>
    public bool IsSigned(string dialect, string content, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        return Convert.TryFromBase64String(signature, received, out var length) && length == 32 &&
            CryptographicOperations.FixedTimeEquals(received[..length], Mac(dialect, content));
    }

    /// <summary>Issues an opaque token that names what it was given for, as Gemini's <c>thoughtSignature</c>s are: verifiable without the content.</summary>
    /// <param name="dialect">The dialect that issues it.</param>
    /// <param name="subject">What it was issued for (e.g. <c>call:get_weather</c>).</param>
    /// <returns>The token, base64.</returns>
    public string Token(string dialect, string subject)
    {
        var subjectBytes = Encoding.UTF8.GetBytes(subject);
        return Convert.ToBase64String([.. subjectBytes, (byte)0, .. Mac(dialect, subject)]);
    }

    /// <summary>Reads a token this server issued for <paramref name="dialect"/>.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="token">The token sent back.</param>
    /// <param name="subject">What it was issued for.</param>
    /// <returns><see langword="true"/> when this server issued it for that dialect.</returns>
    public bool TryReadToken(string dialect, string? token, out string? subject)
    {
        subject = null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(token ?? string.Empty);
        }
        catch (FormatException)
        {
            return false;
        }

        var separator = bytes.Length - 33;
        if (separator < 0 || bytes[separator] != 0)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, separator);
        if (!CryptographicOperations.FixedTimeEquals(bytes.AsSpan(separator + 1), Mac(dialect, text)))
        {
            return false;
        }

        subject = text;
        return true;
    }

    private byte[] Mac(string dialect, string content) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(dialect + "\n" + content));
}
