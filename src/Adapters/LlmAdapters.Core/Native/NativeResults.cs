// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>
/// The rule "a 200 that carries no result is <see cref="ChatProviderErrorKind.Unknown"/>", one definition for every adapter:
/// a result has some content other than usage or an empty text, or a finish reason. <c>{"candidates":[]}</c>, <c>{"choices":[]}</c>,
/// <c>{"content":[]}</c> with no stop reason, <c>{"message":null,"done":true}</c> carry none: the provider answered
/// something the adapter cannot call an answer, and an empty success would hide it.
/// </summary>
public static class NativeResults
{
    /// <summary>Tells whether a response carries a result.</summary>
    /// <param name="response">The mapped response.</param>
    /// <returns><see langword="true"/> when a message holds content other than usage, or the response has a finish reason.</returns>
    public static bool CarriesResult(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.FinishReason is not null)
        {
            return true;
        }

        foreach (var message in response.Messages)
        {
            if (HasContent(message.Contents))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Tells whether a streamed update carries (part of) a result.</summary>
    /// <param name="update">The update.</param>
    /// <returns><see langword="true"/> when it holds content other than usage, or a finish reason.</returns>
    public static bool CarriesResult(ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.FinishReason is not null || HasContent(update.Contents);
    }

    /// <summary>Throws <see cref="NativeErrors.NoResult"/> when a response carries no result.</summary>
    /// <param name="providerName">The provider name.</param>
    /// <param name="response">The mapped response.</param>
    /// <returns><paramref name="response"/>.</returns>
    /// <exception cref="ChatProviderException">The response carries no result (<see cref="ChatProviderErrorKind.Unknown"/>).</exception>
    public static ChatResponse ThrowIfNoResult(string providerName, ChatResponse response) =>
        CarriesResult(response) ? response : throw NativeErrors.NoResult(providerName, System.Net.HttpStatusCode.OK);

    private static bool HasContent(IList<AIContent> contents)
    {
        // By index: a foreach over the IList boxes its enumerator, and this runs on streamed events.
        for (var i = 0; i < contents.Count; i++)
        {
            // Usage is not a result, nor is an empty text (an SDK makes one of "content": null).
            if (contents[i] is not (UsageContent or TextContent { Text: null or "" }))
            {
                return true;
            }
        }

        return false;
    }
}
