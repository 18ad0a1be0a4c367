// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace LlmAdapters.Hosting;

/// <summary>
/// The view of a stage's section that a stage reads: its <see cref="Path"/> is the path the user wrote (not the merged
/// per-client view's), and every key read or listed is noted in a <see cref="ConfigurationKeyUsage"/>.
/// </summary>
internal sealed class PathedConfigurationSection(IConfigurationSection inner, string path, ConfigurationKeyUsage usage, string relative = "") : IConfigurationSection
{
    public string Key => inner.Key;

    public string Path => path;

    public string? Value { get => inner.Value; set => inner.Value = value; }

    public string? this[string key]
    {
        get
        {
            usage.Read(Combine(key));
            return inner[key];
        }

        set => inner[key] = value;
    }

    public IEnumerable<IConfigurationSection> GetChildren()
    {
        usage.Enumerated(relative);
        return inner.GetChildren().Select(c => new PathedConfigurationSection(c, path + ":" + c.Key, usage, Combine(c.Key)));
    }

    public IChangeToken GetReloadToken() => inner.GetReloadToken();

    public IConfigurationSection GetSection(string key)
    {
        usage.Read(Combine(key));
        return new PathedConfigurationSection(inner.GetSection(key), path + ":" + key, usage, Combine(key));
    }

    private string Combine(string key) => relative.Length == 0 ? key : relative + ":" + key;
}
