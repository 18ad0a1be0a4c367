// Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using LlmAdapters.Cost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's <see cref="DistributedCachingChatClient"/> as the Cache stage runs it: entries live for a configured time,
/// and an answer served from the cache costs nothing and says so (<see cref="CacheHitKey"/> in its
/// <c>AdditionalProperties</c> and on the current <see cref="Activity"/>), so that no ledger counts it twice. Like the
/// base client it stores only answers that completed: a failed, cancelled or broken call throws before anything is written.
/// </summary>
internal sealed class ConfiguredCachingChatClient : DistributedCachingChatClient
{
    /// <summary>The <c>AdditionalProperties</c> key and <see cref="Activity"/> tag of an answer served from the cache.</summary>
    public const string CacheHitKey = "llmadapters.cache.hit";

    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;

    public ConfiguredCachingChatClient(IChatClient innerClient, IDistributedCache cache, TimeSpan lifetime)
        : base(innerClient, cache)
    {
        _cache = cache;
        _entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime };
    }

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var response = await base.ReadCacheAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitKey, response is not null);
        if (response is not null)
        {
            (response.AdditionalProperties ??= [])[CacheHitKey] = true;
            response.SetCost(ChatCost.Cached(response.ModelId));
        }

        return response;
    }

    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        var updates = await base.ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitKey, updates is not null);
        if (updates is not null)
        {
            foreach (var update in updates)
            {
                (update.AdditionalProperties ??= [])[CacheHitKey] = true;
                if (update.AdditionalProperties.ContainsKey(ChatCostExtensions.CostKey))
                {
                    update.SetCost(ChatCost.Cached(update.ModelId));
                }
            }
        }

        return updates;
    }

    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken) =>
        _cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.GetTypeInfo(typeof(ChatResponse))), _entryOptions, cancellationToken);

    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken) =>
        _cache.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.GetTypeInfo(typeof(IReadOnlyList<ChatResponseUpdate>))), _entryOptions, cancellationToken);
}
