// Licensed under the MIT License.

using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// Provenance of provider-bound state: what a response holds that only the dialect (and endpoint) that produced it can take
/// back (Anthropic thinking signatures and redacted thinking, Gemini <c>thoughtSignature</c>s, opaque provider blocks),
/// marked with its origin so that a conversation that moves to another provider (a fallback, a router) never sends it
/// there as its own.
/// </summary>
/// <remarks>
/// <para>The mark is the <see cref="OriginPropertyName"/> entry of a content's <see cref="AIContent.AdditionalProperties"/>, a
/// plain JSON string (<c>"anthropic@https://api.anthropic.com"</c>), so it survives Microsoft.Extensions.AI's JSON
/// serialization of <see cref="ChatMessage"/> (read back as a <see cref="JsonElement"/>) and the coalescing of streamed
/// updates (which keeps the first content's properties: every reasoning content is marked, deltas included).</para>
/// <para>Marked, by the transport as a response or update leaves the adapter: every <see cref="TextReasoningContent"/>, every
/// <see cref="FunctionCallContent"/> (a call of another origin is what a tool loop carries across a fallback), every opaque
/// <see cref="AIContent"/> (a block the adapter keeps raw), and every content the adapter gave additional properties. Provider-bound property keys are named <c>{dialect}.…</c>
/// (<c>gemini.thought_signature</c>, <c>anthropic.redacted_thinking</c>).</para>
/// <para>Read, by each adapter before it maps a request (<see cref="ForTarget"/>): state of its own origin, and state with
/// no mark (history persisted before marks existed), goes back as it always did; state of another origin is left out
/// (reasoning, opaque blocks) or stripped of its <c>{dialect}.…</c> properties (function calls, text), or, when the call
/// asks for it (<see cref="ForeignReasoningPropertyName"/>), visible reasoning becomes plain text.</para>
/// </remarks>
public static class ProviderState
{
    /// <summary>The <see cref="AIContent.AdditionalProperties"/> key of the origin mark.</summary>
    public const string OriginPropertyName = "llmadapters.origin";

    /// <summary>
    /// The <see cref="ChatOptions.AdditionalProperties"/> key that says what an adapter does with visible reasoning of
    /// another origin: <c>"drop"</c> (the default) leaves it out, <c>"text"</c> sends its text as plain assistant text.
    /// Signatures and encrypted reasoning are left out either way.
    /// </summary>
    public const string ForeignReasoningPropertyName = "llmadapters.foreign_reasoning";

    /// <summary>Creates the origin of an adapter: its dialect and the scheme, host and port of its endpoint (no path, no user information).</summary>
    /// <param name="dialect">The wire dialect (<c>anthropic</c>, <c>gemini</c>, <c>openai</c>, <c>ollama</c>, <c>dashscope</c>).</param>
    /// <param name="endpoint">The endpoint the adapter sends to.</param>
    /// <returns>The origin, lower case, e.g. <c>anthropic@https://api.anthropic.com</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="dialect"/> is empty or holds <c>@</c>, or <paramref name="endpoint"/> is not absolute.</exception>
    public static string CreateOrigin(string dialect, Uri endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dialect);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (dialect.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("A dialect name cannot hold '@'.", nameof(dialect));
        }

        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException("The endpoint must be an absolute URI.", nameof(endpoint));
        }

        return (dialect + "@" + endpoint.Scheme + "://" + endpoint.Authority).ToLowerInvariant();
    }

    /// <summary>Gets the dialect part of an origin (<c>anthropic</c> of <c>anthropic@https://api.anthropic.com</c>).</summary>
    /// <param name="origin">The origin.</param>
    /// <returns>The dialect.</returns>
    public static string GetDialect(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var at = origin.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? origin : origin[..at];
    }

    /// <summary>Gets the origin a content is marked with.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The origin, or <see langword="null"/> when the content has no mark (it was not produced by an adapter that marks, or before marks existed).</returns>
    public static string? GetOrigin(AIContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.AdditionalProperties is { } properties && properties.TryGetValue(OriginPropertyName, out var value)
            ? value switch
            {
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
                _ => null,
            }
            : null;
    }

    /// <summary>Gets whether a content is marked with an origin other than <paramref name="origin"/>.</summary>
    /// <param name="content">The content.</param>
    /// <param name="origin">The origin of the adapter that is about to send it.</param>
    /// <returns><see langword="true"/> when the content carries another origin's mark; <see langword="false"/> when it is the same origin's, or has no mark.</returns>
    public static bool IsForeign(AIContent content, string origin) =>
        GetOrigin(content) is { } mark && !string.Equals(mark, origin, StringComparison.OrdinalIgnoreCase);

    /// <summary>Marks one content with an origin, when it holds provider-bound state and has no mark yet.</summary>
    /// <param name="content">The content.</param>
    /// <param name="origin">The origin (<see cref="CreateOrigin"/>).</param>
    public static void Mark(AIContent content, string origin)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(origin);
        if (content is TextReasoningContent or FunctionCallContent || content.GetType() == typeof(AIContent) || content.AdditionalProperties is { Count: > 0 })
        {
            var properties = content.AdditionalProperties ??= [];
            properties.TryAdd(OriginPropertyName, origin);
        }
    }

    /// <summary>Marks the provider-bound contents of every message of a response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="origin">The origin (<see cref="CreateOrigin"/>).</param>
    public static void Mark(ChatResponse response, string origin)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var message in response.Messages)
        {
            MarkAll(message.Contents, origin);
        }
    }

    /// <summary>Marks the provider-bound contents of a streamed update.</summary>
    /// <param name="update">The update.</param>
    /// <param name="origin">The origin (<see cref="CreateOrigin"/>).</param>
    public static void Mark(ChatResponseUpdate update, string origin)
    {
        ArgumentNullException.ThrowIfNull(update);
        MarkAll(update.Contents, origin);
    }

    /// <summary>
    /// Gets the messages as an adapter of <paramref name="origin"/> may send them: contents of another origin lose their
    /// provider-bound state; everything else (own state, unmarked state) is unchanged. Messages with nothing foreign are
    /// returned as they are (no copy); a message with foreign state is copied, never changed in place.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="origin">The origin of the adapter about to send it.</param>
    /// <param name="options">The call's options: <see cref="ForeignReasoningPropertyName"/> is read from them.</param>
    /// <returns>The messages to map.</returns>
    /// <exception cref="ArgumentException"><see cref="ForeignReasoningPropertyName"/> is neither <c>"drop"</c> nor <c>"text"</c>.</exception>
    public static IEnumerable<ChatMessage> ForTarget(IEnumerable<ChatMessage> messages, string origin, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(origin);
        if (!HasForeign(messages, origin))
        {
            return messages;
        }

        var asText = ReasoningAsText(options);
        var result = messages is ICollection<ChatMessage> collection ? new List<ChatMessage>(collection.Count) : [];
        foreach (var message in messages)
        {
            result.Add(Strip(message, origin, asText));
        }

        return result;
    }

    /// <summary>
    /// Gets whether the last assistant message of a conversation calls tools and those calls came from another origin: a tool
    /// loop that moved to this adapter mid-turn (a fallback), whose replay rules (Anthropic's thinking block before
    /// <c>tool_use</c>, Gemini 3's signature on the current turn's calls) the other origin's state cannot meet.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="origin">The origin of the adapter about to send it.</param>
    /// <returns><see langword="true"/> when the last assistant message holds a function call marked with another origin.</returns>
    public static bool IsForeignToolTurn(IEnumerable<ChatMessage> messages, string origin)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(origin);
        ChatMessage? last = null;
        foreach (var message in messages)
        {
            if (message?.Role == ChatRole.Assistant && message.Contents.Count > 0)
            {
                last = message;
            }
        }

        return last is not null && last.Contents.Any(c => c is FunctionCallContent && IsForeign(c, origin));
    }

    private static void MarkAll(IList<AIContent> contents, string origin)
    {
        for (var i = 0; i < contents.Count; i++)
        {
            Mark(contents[i], origin);
        }
    }

    private static bool HasForeign(IEnumerable<ChatMessage> messages, string origin)
    {
        foreach (var message in messages)
        {
            if (message is null)
            {
                // The mapper reports a null message with its own message.
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (IsForeign(content, origin))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ReasoningAsText(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(ForeignReasoningPropertyName, out var value) || value is null)
        {
            return false;
        }

        var text = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        };
        return text switch
        {
            _ when string.Equals(text, "text", StringComparison.OrdinalIgnoreCase) => true,
            _ when string.Equals(text, "drop", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new ArgumentException(
                $"The '{ForeignReasoningPropertyName}' additional property must be \"drop\" or \"text\"; it is {value}.", nameof(options)),
        };
    }

    private static ChatMessage Strip(ChatMessage message, string origin, bool reasoningAsText)
    {
        if (message is null || !message.Contents.Any(c => IsForeign(c, origin)))
        {
            return message!;
        }

        var contents = new List<AIContent>(message.Contents.Count);
        foreach (var content in message.Contents)
        {
            if (!IsForeign(content, origin))
            {
                contents.Add(content);
                continue;
            }

            var dialect = GetDialect(GetOrigin(content)!);
            switch (content)
            {
                case TextReasoningContent reasoning:
                    // Signatures and encrypted reasoning never cross; visible text only when the call asks for it.
                    if (reasoningAsText && !string.IsNullOrEmpty(reasoning.Text))
                    {
                        contents.Add(new TextContent(reasoning.Text));
                    }

                    break;

                case FunctionCallContent call:
                    contents.Add(new FunctionCallContent(call.CallId, call.Name, call.Arguments)
                    {
                        Exception = call.Exception,
                        InformationalOnly = call.InformationalOnly,
                        Annotations = call.Annotations,
                        AdditionalProperties = WithoutBound(call.AdditionalProperties, dialect),
                    });
                    break;

                case TextContent text:
                    contents.Add(new TextContent(text.Text) { Annotations = text.Annotations, AdditionalProperties = WithoutBound(text.AdditionalProperties, dialect) });
                    break;

                case FunctionResultContent or DataContent or UriContent or UsageContent or ErrorContent:
                    contents.Add(content);
                    break;

                default:
                    // Opaque provider blocks (server tool use and its results, blocks an adapter keeps raw): only their own dialect reads them.
                    break;
            }
        }

        return new ChatMessage(message.Role, contents)
        {
            AuthorName = message.AuthorName,
            MessageId = message.MessageId,
            CreatedAt = message.CreatedAt,
            AdditionalProperties = message.AdditionalProperties,
        };
    }

    /// <summary>The properties without the producing dialect's own keys (<c>{dialect}.…</c>); the origin mark stays.</summary>
    private static AdditionalPropertiesDictionary? WithoutBound(AdditionalPropertiesDictionary? properties, string dialect)
    {
        if (properties is null)
        {
            return null;
        }

        var prefix = dialect + ".";
        var result = new AdditionalPropertiesDictionary();
        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                result[key] = value;
            }
        }

        return result;
    }
}
