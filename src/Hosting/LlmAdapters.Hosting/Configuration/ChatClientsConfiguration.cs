// Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// Reads the <c>AI</c> section: the names of the configured clients and each client's view of the configuration
/// (the keys of <c>AI:Clients:{name}</c> over the shared keys of <c>AI</c>).
/// </summary>
internal sealed class ChatClientsConfiguration
{
    /// <summary>The name of the client described by the top-level keys.</summary>
    public const string DefaultClientName = ConfiguredChatClientsOptions.DefaultClientName;

    private readonly IConfigurationSection _root;
    private readonly ConcurrentDictionary<string, Lazy<IConfiguration>> _clients = new(StringComparer.OrdinalIgnoreCase);
    private int _flattenings;

    public ChatClientsConfiguration(IConfigurationSection root)
    {
        _root = root;
        var names = new List<string>();
        var clients = root.GetSection("Clients").GetChildren().Select(c => c.Key).ToList();
        if (root["Provider"] is not null || clients.Contains(DefaultClientName, StringComparer.OrdinalIgnoreCase) || clients.Count == 0)
        {
            names.Add(DefaultClientName);
        }

        names.AddRange(clients.Where(c => !string.Equals(c, DefaultClientName, StringComparison.OrdinalIgnoreCase)));
        Names = names;
    }

    /// <summary>Gets the configured client names, <c>default</c> first when there is one.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Gets the path of the <c>AI</c> section, for messages.</summary>
    public string RootPath => _root.Path;

    public bool Contains(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the path to name in a message about a key of a client: where it is set (the client's own section or the
    /// shared one); for a key set nowhere, the shared key (and, for a named client, its own key too).
    /// </summary>
    public string KeyPath(string name, string key)
    {
        var own = _root.GetSection("Clients").GetChildren().FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
        if (own?[key] is not null)
        {
            return $"{own.Path}:{key}";
        }

        if (_root[key] is not null || own is null || string.Equals(name, DefaultClientName, StringComparison.OrdinalIgnoreCase))
        {
            return $"{_root.Path}:{key}";
        }

        return $"{own.Path}:{key} (or the shared {_root.Path}:{key})";
    }

    /// <summary>Gets the path of the section where a client's key is set (its own, else the shared one), for messages about its value.</summary>
    public string KeyParentPath(string name, string key)
    {
        var own = _root.GetSection("Clients").GetChildren().FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
        return own?[key] is not null ? own.Path : _root.Path;
    }

    /// <summary>
    /// Gets the path to name in a message about a section of a client (such as <c>Pipeline:Retry</c>): the client's own
    /// when it sets that section, else the shared one.
    /// </summary>
    public string SectionPath(string name, string key)
    {
        var own = _root.GetSection("Clients").GetChildren().FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
        return own is not null && (own.GetSection(key).Exists() || !_root.GetSection(key).Exists()) ? $"{own.Path}:{key}" : $"{_root.Path}:{key}";
    }

    /// <summary>Gets how many times a client's view was built (once per client: a test counts them).</summary>
    public int Flattenings => Volatile.Read(ref _flattenings);

    /// <summary>
    /// Gets a client's view: the shared keys (all but <c>Clients</c>), then the client's own keys over them. A list
    /// (a section whose children are 0, 1, …) set by the client replaces the shared list instead of merging with it.
    /// Built once per client and kept: validation, the pipeline, the inner stack, the warnings and the health probe read
    /// the same view (issue 25).
    /// </summary>
    public IConfiguration GetClientConfiguration(string name) =>
        _clients.GetOrAdd(name, n => new Lazy<IConfiguration>(() => BuildView(n))).Value;

    private IConfiguration BuildView(string name)
    {
        Interlocked.Increment(ref _flattenings);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(_root, string.Empty, values, skipClients: true);
        var own = _root.GetSection("Clients").GetChildren().FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
        if (own is not null)
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Flatten(own, string.Empty, overrides, skipClients: false);
            foreach (var listPath in ListPaths(own, string.Empty))
            {
                foreach (var key in values.Keys.Where(k => k.StartsWith(listPath + ":", StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    values.Remove(key);
                }
            }

            foreach (var (key, value) in overrides)
            {
                values[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static void Flatten(IConfigurationSection section, string prefix, Dictionary<string, string?> values, bool skipClients)
    {
        foreach (var child in section.GetChildren())
        {
            // Clients holds the clients themselves; Redis (AI:Redis) is the application's, not a client's.
            if (skipClients && prefix.Length == 0 &&
                (string.Equals(child.Key, "Clients", StringComparison.OrdinalIgnoreCase) || string.Equals(child.Key, "Redis", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var key = prefix.Length == 0 ? child.Key : prefix + ":" + child.Key;
            if (child.Value is not null)
            {
                values[key] = child.Value;
            }

            Flatten(child, key, values, skipClients: false);
        }
    }

    private static IEnumerable<string> ListPaths(IConfigurationSection section, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = prefix.Length == 0 ? child.Key : prefix + ":" + child.Key;
            var children = child.GetChildren().ToList();
            if (children.Count > 0 && children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                yield return key;
            }
            else
            {
                foreach (var nested in ListPaths(child, key))
                {
                    yield return nested;
                }
            }
        }
    }
}
