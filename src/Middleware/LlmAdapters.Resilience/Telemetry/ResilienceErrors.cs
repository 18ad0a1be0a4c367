// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Resilience;

/// <summary>Reads the error taxonomy from any exception: <see cref="ChatProviderException"/>, or a bare network error.</summary>
internal static class ResilienceErrors
{
    /// <summary>The provider name used when the inner client publishes no metadata.</summary>
    public const string UnknownProvider = "llmadapters";

    /// <summary>Gets the kind of a failure, or <see langword="null"/> when it is neither ours nor a network error.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The kind; network errors without our type are <see cref="ChatProviderErrorKind.Unavailable"/>.</returns>
    public static ChatProviderErrorKind? GetKind(Exception exception) => exception switch
    {
        ChatProviderException provider => provider.Kind,
        HttpRequestException or IOException => ChatProviderErrorKind.Unavailable,
        _ => null,
    };

    /// <summary>Gets whether waiting and trying again may help.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> for transient provider errors and network errors.</returns>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ChatProviderException provider => provider.IsTransient,
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>Gets the wait the provider asked for, if any.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The wait, or <see langword="null"/>.</returns>
    public static TimeSpan? GetRetryAfter(Exception exception) => (exception as ChatProviderException)?.RetryAfter;

    /// <summary>Gets a tag value naming the kind of a failure.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The kind's name, or the exception type's name.</returns>
    public static string GetErrorType(Exception exception) => GetKind(exception)?.ToString() ?? exception.GetType().Name;

    /// <summary>Gets the provider name of a client, for exceptions raised by middleware.</summary>
    /// <param name="client">The client.</param>
    /// <returns>The provider name from its <see cref="ChatClientMetadata"/>, or <see cref="UnknownProvider"/>.</returns>
    public static string GetProviderName(IChatClient client) =>
        client.GetService<ChatClientMetadata>()?.ProviderName is { Length: > 0 } name ? name : UnknownProvider;

    /// <summary>Copies the messages when they are not already a list, so that each attempt sees the same ones.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>A list.</returns>
    public static IEnumerable<ChatMessage> Materialize(IEnumerable<ChatMessage> messages) =>
        messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
}
