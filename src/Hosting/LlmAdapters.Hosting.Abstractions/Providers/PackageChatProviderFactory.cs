// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// A provider a package registered (<see cref="Microsoft.Extensions.DependencyInjection.ChatProviderServiceCollectionExtensions.TryAddChatProvider"/>): an
/// application's own provider of the same name wins over it, whatever the order of registration. Every member is the inner one's.
/// </summary>
internal sealed class PackageChatProviderFactory(IChatProviderFactory inner) : IChatProviderFactory
{
    public IChatProviderFactory Inner => inner;

    public string Name => inner.Name;

    public string? ApiKeyEnvironmentVariable => inner.ApiKeyEnvironmentVariable;

    // Every member of the interface is forwarded, default ones included: a dropped one silently falls back to the
    // interface's default (GOOGLE_API_KEY was never read, issue 20). IssuesTests_Hardening_20 checks each member.
    public IReadOnlyList<string> ApiKeyEnvironmentVariables => inner.ApiKeyEnvironmentVariables;

    public bool RequiresApiKey => inner.RequiresApiKey;

    public Uri? DefaultEndpoint => inner.DefaultEndpoint;

    public string? DefaultModel => inner.DefaultModel;

    public IReadOnlyCollection<string> ConfigurationKeys => inner.ConfigurationKeys;

    public IEnumerable<string> ValidateConfiguration(IConfiguration configuration, Func<string, string> pathOf) => inner.ValidateConfiguration(configuration, pathOf);

    public ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings) => inner.CreateHealthProbe(settings);

    public ChatProviderHealthProbe? CreateHealthProbe(ChatClientSettings settings, IConfiguration configuration) => inner.CreateHealthProbe(settings, configuration);

    public IChatClient CreateClient(ChatProviderContext context) => inner.CreateClient(context);
}
