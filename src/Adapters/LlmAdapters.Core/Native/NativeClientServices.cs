// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Native;

/// <summary>What a native adapter's <see cref="IChatClient.GetService"/> answers.</summary>
public static class NativeClientServices
{
    /// <summary>Returns the metadata for <see cref="ChatClientMetadata"/>, the client for its own types, and <see langword="null"/> for anything else or any key.</summary>
    /// <param name="client">The adapter.</param>
    /// <param name="metadata">Its metadata.</param>
    /// <param name="serviceType">The requested type.</param>
    /// <param name="serviceKey">The requested key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    public static object? Get(IChatClient client, ChatClientMetadata metadata, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return metadata;
        }

        return serviceType.IsInstanceOfType(client) ? client : null;
    }
}
