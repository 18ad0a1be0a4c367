// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Gateway;

/// <summary>
/// One virtual key of <c>Gateway:Keys:{name}</c>: the SHA-256 of the key (never the key), the clients it may use, the
/// ledger's tenant, and its own <c>Budget</c> and <c>RateLimit</c> sections (the pipeline's keys).
/// </summary>
/// <param name="Name">The key's name (the configuration key), shown in spend and logs instead of the key.</param>
/// <param name="Hash">The 32 bytes of the SHA-256 of the key.</param>
/// <param name="Clients">The clients it may use, or <see langword="null"/> for every configured client.</param>
/// <param name="Tenant">The tenant its calls are counted under.</param>
/// <param name="Section">The key's section, for its budget and limits.</param>
internal sealed record GatewayKey(string Name, byte[] Hash, IReadOnlySet<string>? Clients, string Tenant, IConfigurationSection Section)
{
    /// <summary>Gets whether the key may use a client.</summary>
    public bool Allows(string client) => Clients is null || Clients.Contains(client);
}
