// Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlmAdapters.Gateway;

/// <summary>
/// Finds the virtual key of a request: <c>Authorization: Bearer …</c> or <c>x-api-key: …</c>, hashed with SHA-256 and
/// compared with every configured hash in constant time (each comparison is <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// and every key is compared whether or not an earlier one matched). The key is never kept, logged or echoed.
/// </summary>
internal sealed class GatewayKeyRing
{
    private const int MaxKeyLength = 512;
    private readonly GatewayKey[] _keys;

    public GatewayKeyRing(IEnumerable<GatewayKey> keys)
    {
        _keys = [.. keys];
    }

    /// <summary>Gets the configured keys.</summary>
    public IReadOnlyList<GatewayKey> Keys => _keys;

    /// <summary>Finds the request's key.</summary>
    /// <param name="request">The request.</param>
    /// <param name="key">The key, when one matched.</param>
    /// <returns><see langword="null"/> when a key matched, else the message of the 401.</returns>
    public string? Authenticate(HttpRequest request, out GatewayKey? key)
    {
        key = null;
        var presented = Presented(request);
        if (presented is null)
        {
            return "No API key was given: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.";
        }

        if (presented.Length > MaxKeyLength)
        {
            return "The API key is not valid.";
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(presented);
        var bytes = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(presented, bytes);
        SHA256.HashData(bytes, hash);
        CryptographicOperations.ZeroMemory(bytes);

        GatewayKey? found = null;
        foreach (var candidate in _keys)
        {
            // No early exit: the time does not tell which key (or whether any) matched.
            var equal = CryptographicOperations.FixedTimeEquals(hash, candidate.Hash);
            found = equal ? candidate : found;
        }

        key = found;
        return found is null ? "The API key is not valid." : null;
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length > 7 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            if (token.Length > 0)
            {
                return token;
            }
        }

        var apiKey = request.Headers["x-api-key"].ToString().Trim();
        return apiKey.Length > 0 ? apiKey : null;
    }
}
