// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>
/// The configuration layer that points clients with no provider (or no key) at the emulator: added last, so it wins
/// over appsettings.json and environment variables for the keys it sets, and only for those.
/// </summary>
internal sealed class EmulatorConfigurationSource(IReadOnlyDictionary<string, string?> values) : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        foreach (var (key, value) in values)
        {
            Data[key] = value;
        }
    }

    /// <summary>Sets keys once their values are known (the emulator's port), and tells the configuration they changed.</summary>
    public void SetAll(IEnumerable<KeyValuePair<string, string?>> changes)
    {
        foreach (var (key, value) in changes)
        {
            Data[key] = value;
        }

        OnReload();
    }
}
