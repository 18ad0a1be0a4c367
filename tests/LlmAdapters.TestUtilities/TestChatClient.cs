// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.TestUtilities;

/// <summary>An <see cref="IChatClient"/> whose behaviour is set by callbacks, modelled on Microsoft.Extensions.AI's own test client.</summary>
public sealed class TestChatClient : IChatClient
{
    /// <summary>Gets or sets the non-streaming callback.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the streaming callback.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the service lookup callback.</summary>
    public Func<Type, object?, object?> GetServiceCallback { get; set; } = static (_, _) => null;

    /// <summary>Gets or sets the metadata returned by <see cref="GetService"/>.</summary>
    public ChatClientMetadata? Metadata { get; set; }

    /// <summary>Gets a value indicating whether the client was disposed.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (GetResponseAsyncCallback ?? throw new InvalidOperationException("No GetResponseAsyncCallback."))(messages, options, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (GetStreamingResponseAsyncCallback ?? throw new InvalidOperationException("No GetStreamingResponseAsyncCallback."))(messages, options, cancellationToken);

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) && Metadata is not null ? Metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : GetServiceCallback(serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose() => Disposed = true;
}
