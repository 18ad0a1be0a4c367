// Licensed under the MIT License.

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Gateway;

/// <summary>The <c>Gateway</c> section, read once at start and validated with messages that name each key's path.</summary>
internal sealed class GatewayOptions
{
    /// <summary>The default of <c>Gateway:MaxRequestBodyBytes</c>: 8 MiB (room for a few inline images).</summary>
    public const long DefaultMaxRequestBodyBytes = 8 * 1024 * 1024;

    /// <summary>Gets the keys, by name.</summary>
    public List<GatewayKey> Keys { get; } = [];

    /// <summary>Gets or sets the largest request body accepted (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Gets or sets aliases: a model name a caller may send, and the configured client that serves it.</summary>
    public Dictionary<string, string> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the configuration errors, each naming its key path.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Reads the section.</summary>
    public static GatewayOptions Read(IConfigurationSection section)
    {
        var options = new GatewayOptions();
        if (section["MaxRequestBodyBytes"] is { Length: > 0 } max)
        {
            if (long.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes >= 1024)
            {
                options.MaxRequestBodyBytes = bytes;
            }
            else
            {
                options.Errors.Add($"{section.Path}:MaxRequestBodyBytes is '{max}': use a whole number of bytes, at least 1024.");
            }
        }

        foreach (var alias in section.GetSection("Aliases").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(alias.Value))
            {
                options.Errors.Add($"{alias.Path} is empty: name the configured client that serves the alias.");
            }
            else
            {
                options.Aliases[alias.Key] = alias.Value.Trim();
            }
        }

        foreach (var key in section.GetSection("Keys").GetChildren())
        {
            var hashText = key["KeyHash"]?.Trim();
            byte[]? hash = null;
            if (string.IsNullOrEmpty(hashText))
            {
                options.Errors.Add($"{key.Path}:KeyHash is not set: give the hex SHA-256 of the key (e.g. printf %s \"$KEY\" | sha256sum).");
            }
            else if (hashText.Length != 64 || !IsHex(hashText))
            {
                // Never echo the value: it may be the key itself, pasted by mistake.
                options.Errors.Add($"{key.Path}:KeyHash is not 64 hex digits: give the hex SHA-256 of the key, not the key.");
            }
            else
            {
                hash = Convert.FromHexString(hashText);
            }

            HashSet<string>? clients = null;
            var clientsSection = key.GetSection("Clients");
            var listed = clientsSection.GetChildren().Select(c => c.Value).ToList();
            if (clientsSection.Value is { } single)
            {
                listed.AddRange(single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            var names = listed.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).ToList();
            if (names.Count > 0 && !names.Contains("*"))
            {
                clients = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
            }

            if (hash is not null)
            {
                options.Keys.Add(new GatewayKey(key.Key, hash, clients, key["Tenant"]?.Trim() is { Length: > 0 } tenant ? tenant : key.Key, key));
            }
        }

        return options;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
