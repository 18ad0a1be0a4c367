// Licensed under the MIT License.

namespace LlmAdapters.Samples.ChatHost;

/// <summary>A configured client the emulator answers for.</summary>
/// <param name="Name">The client name.</param>
/// <param name="Dialect">The provider dialect the emulator speaks to it: the configured provider, or <c>openai</c>.</param>
/// <param name="Missing">What the configuration lacks: <c>provider</c>, or <c>openai key</c>.</param>
internal sealed record EmulatedClient(string Name, string Dialect, string Missing)
{
    /// <summary>Gets the configuration path of the client's own keys.</summary>
    public string Section => $"{ChatHostEmulator.SectionName}:Clients:{Name}";
}
