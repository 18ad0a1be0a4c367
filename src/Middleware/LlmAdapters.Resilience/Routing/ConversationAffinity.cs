// Licensed under the MIT License.

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>
/// Which target served each conversation, in this process: a conversation is known by its <see cref="ChatOptions.ConversationId"/>,
/// or else by a hash of its first system and first user message (the same in every later turn of it). Bounded: past
/// <see cref="MaxEntries"/> the ended notes are dropped, and if none ended, all of them.
/// </summary>
internal sealed class ConversationAffinity
{
    internal const int MaxEntries = 10_000;

    private readonly Dictionary<string, (string Target, DateTimeOffset Until)> _targets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Gets the key of a call's conversation, or <see langword="null"/> when it has no user message and no id.</summary>
    public static string? KeyOf(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.ConversationId is { Length: > 0 } id)
        {
            return "id:" + Hash(id);
        }

        string? system = null;
        string? user = null;
        foreach (var message in messages)
        {
            if (system is null && message.Role == ChatRole.System)
            {
                system = message.Text;
            }
            else if (message.Role == ChatRole.User)
            {
                user = message.Text;
                break;
            }
        }

        return user is null ? null : "h:" + Hash((system ?? string.Empty) + "\u0000" + user);
    }

    public string? Get(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(key, out var entry) && entry.Until > now ? entry.Target : null;
        }
    }

    public void Set(string key, string target, DateTimeOffset now, DateTimeOffset until)
    {
        lock (_lock)
        {
            if (_targets.Count >= MaxEntries && !_targets.ContainsKey(key))
            {
                foreach (var ended in _targets.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
                {
                    _targets.Remove(ended);
                }

                if (_targets.Count >= MaxEntries)
                {
                    _targets.Clear();
                }
            }

            _targets[key] = (target, until);
        }
    }

    // The key goes to a shared store: a digest, never the conversation's text.
    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
