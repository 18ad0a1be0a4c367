// Licensed under the MIT License.

namespace LlmAdapters.Hosting;

/// <summary>
/// A configured client as read from configuration, once: its settings, its provider, its enabled stages with the options
/// each read from its section, and every problem found. Kept per client name by <see cref="ConfiguredChatClients"/>.
/// </summary>
internal sealed record ChatClientPlan(
    ChatClientSettings? Settings, IChatProviderFactory? Factory, IReadOnlyList<ChatPipelineStagePlan> Stages, IReadOnlyList<string> Errors)
{
    /// <summary>Returns this plan, or throws with every problem when it has any.</summary>
    public ChatClientPlan ThrowIfInvalid()
    {
        ConfiguredChatClients.ThrowIfAny(Errors);
        return this;
    }
}
