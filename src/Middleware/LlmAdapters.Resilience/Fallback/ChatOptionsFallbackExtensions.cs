// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Per-call overrides of <see cref="FallbackChatClient"/> carried in <see cref="ChatOptions.AdditionalProperties"/>: no
/// fallback for this call, or another order of the configured fallback clients. The primary client is always tried first;
/// a name that is not one of the configured fallback clients fails the call before anything is sent.
/// </summary>
public static class ChatOptionsFallbackExtensions
{
    /// <summary>The key of this call's fallback clients, in order (a list of names; empty for no fallback).</summary>
    public const string ClientsKey = "llmadapters.fallback.clients";

    /// <summary>Sets the clients this call falls back to, in order, instead of the configured <c>Fallback:Clients</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="clientNames">Names among the configured fallback clients (<see cref="FallbackChatClient.ClientNames"/> after the primary); none for no fallback.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    public static ChatOptions WithFallbackClients(this ChatOptions options, params IEnumerable<string> clientNames)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientNames);
        var names = clientNames.ToArray();
        if (names.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A fallback client name is empty.", nameof(clientNames));
        }

        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            throw new ArgumentException("A fallback client is named twice.", nameof(clientNames));
        }

        return ChatCallOverrides.Set(options, ClientsKey, names);
    }

    /// <summary>Turns fallback off for this call: only the primary client is called.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithoutFallback(this ChatOptions options) => options.WithFallbackClients([]);

    /// <summary>Gets this call's fallback clients override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The names in order (empty for no fallback), or <see langword="null"/> when the call does not override them.</returns>
    /// <exception cref="ArgumentException">The value is not a list of names: a mistake, never ignored.</exception>
    public static IReadOnlyList<string>? GetFallbackClients(this ChatOptions? options) => ChatCallOverrides.GetNames(options, ClientsKey);
}
