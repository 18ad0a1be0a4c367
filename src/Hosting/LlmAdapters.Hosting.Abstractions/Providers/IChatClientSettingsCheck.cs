// Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Hosting;

/// <summary>
/// A check a package adds to configured clients: it finds what is valid but most likely not what was meant (the Cost package:
/// a model its price catalog knows as another provider's). Registered as a service; its warnings are logged once per client,
/// when the client is first built, and returned by <c>ConfiguredChatClients.GetWarnings</c>.
/// </summary>
public interface IChatClientSettingsCheck
{
    /// <summary>Gets the warnings about one client.</summary>
    /// <param name="settings">The client's settings, resolved.</param>
    /// <param name="configuration">The client's configuration: its own keys over the shared ones.</param>
    /// <param name="pathOf">Gives a key's path as the user wrote it (<c>AI:Clients:chat:Model</c>), for the messages.</param>
    /// <returns>One message per warning, each naming its keys; none when all is as meant.</returns>
    IEnumerable<string> GetWarnings(ChatClientSettings settings, IConfiguration configuration, Func<string, string> pathOf);
}
