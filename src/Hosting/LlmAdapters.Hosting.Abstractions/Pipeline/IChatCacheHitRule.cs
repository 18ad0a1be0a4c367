// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// What a package does to an answer the Cache stage served from the cache, before the caller sees it, since the provider was
/// not called: the Cost package prices it at nothing (<c>ChatCost.Cached</c>). Registered as a service; every one registered runs.
/// </summary>
public interface IChatCacheHitRule
{
    /// <summary>Adjusts a response read from the cache.</summary>
    /// <param name="response">The response, marked as a cache hit.</param>
    void Apply(ChatResponse response);

    /// <summary>Adjusts one update of a streamed response read from the cache.</summary>
    /// <param name="update">The update, marked as a cache hit.</param>
    void Apply(ChatResponseUpdate update);
}
