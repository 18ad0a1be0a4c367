// Licensed under the MIT License.

using System.Runtime.CompilerServices;
using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;

namespace LlmAdapters.Emulator;

/// <summary>
/// An emulated client built before the emulator listens (no host runs, or the host has not started yet): its first call
/// starts the emulator, without blocking, and builds the dialect's adapter at its address.
/// </summary>
internal sealed class EmulatorStartingChatClient(EmulatorChatProvider provider, IChatProviderFactory dialect, ChatProviderContext context) : IChatClient
{
    private IChatClient? _inner;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inner = await GetInnerAsync(cancellationToken).ConfigureAwait(false);
        return await inner.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var inner = await GetInnerAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var update in inner.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return Volatile.Read(ref _inner)?.GetService(serviceType, serviceKey)
            ?? (serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null);
    }

    public void Dispose() => Interlocked.Exchange(ref _inner, null)?.Dispose();

    private async ValueTask<IChatClient> GetInnerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _inner) is { } inner)
        {
            return inner;
        }

        var server = await provider.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var created = EmulatorChatProvider.CreateDialectClient(dialect, context, server);
        if (Interlocked.CompareExchange(ref _inner, created, null) is { } existing)
        {
            created.Dispose();
            return existing;
        }

        return created;
    }
}
