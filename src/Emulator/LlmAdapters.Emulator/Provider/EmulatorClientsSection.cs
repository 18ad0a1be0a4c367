// Licensed under the MIT License.

namespace LlmAdapters.Emulator;

/// <summary>The configuration section of the configured chat clients, as <c>AddConfiguredChatClients</c> was given it.</summary>
internal sealed class EmulatorClientsSection(IConfiguration section)
{
    public IConfiguration Section => section;
}
