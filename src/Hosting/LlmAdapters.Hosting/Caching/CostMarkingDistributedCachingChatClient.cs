// Licensed under the MIT License.

using System.Diagnostics;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's distributed response cache, which also says what a hit cost: nothing. A response read from the cache gets
/// <see cref="ChatCost.Cached"/> (the cost stored with it would be the first call's, and comes back as raw JSON), and
/// the current span the tag <c>llmadapters.cache.hit</c>.
/// </summary>
internal sealed class CostMarkingDistributedCachingChatClient(IChatClient innerClient, IDistributedCache storage)
    : DistributedCachingChatClient(innerClient, storage)
{
    /// <summary>The span tag: <see langword="true"/> when the response came from the cache.</summary>
    public const string CacheHitTag = "llmadapters.cache.hit";

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var response = await base.ReadCacheAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitTag, response is not null);
        response?.SetCost(ChatCost.Cached(response.ModelId));
        return response;
    }

    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        var updates = await base.ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitTag, updates is not null);
        if (updates is { Count: > 0 })
        {
            foreach (var update in updates)
            {
                update.AdditionalProperties?.Remove(ChatCostExtensions.CostKey);
            }

            updates[^1].SetCost(ChatCost.Cached(updates[^1].ModelId));
        }

        return updates;
    }
}
