// Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's <see cref="DistributedCachingChatClient"/> as the Cache stage runs it: entries live for a configured time,
/// and an answer served from the cache says so (<see cref="CacheHitKey"/> in its <c>AdditionalProperties</c> and on the
/// current <see cref="Activity"/>) and goes through the registered <see cref="IChatCacheHitRule"/>s (the Cost package's
/// prices it at nothing, so that no ledger counts it twice). Like the
/// base client it stores only answers that completed: a failed, cancelled or broken call throws before anything is written.
/// A call can bypass or refresh the cache (<see cref="ChatOptionsCacheExtensions"/>); the per-call override keys the stages
/// declare, which change how an answer is obtained and not what it is, are left out of the cache key (all but those a stage
/// says are part of the answer, <see cref="IChatPipelineStage.CacheKeyCallOverrideKeys"/>).
/// </summary>
internal sealed class ConfiguredCachingChatClient : DistributedCachingChatClient
{
    /// <summary>The <c>AdditionalProperties</c> key and <see cref="Activity"/> tag of an answer served from the cache.</summary>
    public const string CacheHitKey = "llmadapters.cache.hit";

    /// <summary>Appended to the key of a refresh, which skips the read and writes under the plain key.</summary>
    private const string RefreshMarker = "|refresh";

    private static readonly object s_true = true; // the hit marker, boxed once

    /// <summary>The per-call overrides that are not part of the cache key (the tenant is: tenants do not share answers).</summary>
    private readonly string[] _overrideKeys;
    private readonly IChatCacheHitRule[] _hitRules;
    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;

    public ConfiguredCachingChatClient(IChatClient innerClient, IDistributedCache cache, TimeSpan lifetime, string[] overrideKeys, IChatCacheHitRule[] hitRules)
        : base(innerClient, cache)
    {
        _cache = cache;
        _entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime };
        _overrideKeys = overrideKeys.Contains(ChatOptionsCacheExtensions.ModeKey, StringComparer.Ordinal) ? overrideKeys : [.. overrideKeys, ChatOptionsCacheExtensions.ModeKey];
        _hitRules = hitRules;
    }

    protected override bool EnableCaching(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        options.GetCacheMode() != ChatCacheMode.Bypass && base.EnableCaching(messages, options);

    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var refresh = options.GetCacheMode() == ChatCacheMode.Refresh;
        if (options?.AdditionalProperties is { } properties && HasAny(properties, _overrideKeys))
        {
            options = options.Clone();
            foreach (var key in _overrideKeys)
            {
                options.AdditionalProperties!.Remove(key);
            }

            if (options.AdditionalProperties!.Count == 0)
            {
                options.AdditionalProperties = null; // the same key as a call that never had any
            }
        }

        var cacheKey = base.GetCacheKey(messages, options, additionalValues);
        return refresh ? cacheKey + RefreshMarker : cacheKey;
    }

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var response = IsRefresh(key) ? null : await base.ReadCacheAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitKey, response is not null);
        if (response is not null)
        {
            (response.AdditionalProperties ??= [])[CacheHitKey] = s_true;
            foreach (var rule in _hitRules)
            {
                rule.Apply(response);
            }
        }

        return response;
    }

    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        var updates = IsRefresh(key) ? null : await base.ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false);
        Activity.Current?.SetTag(CacheHitKey, updates is not null);
        if (updates is not null)
        {
            foreach (var update in updates)
            {
                (update.AdditionalProperties ??= [])[CacheHitKey] = s_true;
                foreach (var rule in _hitRules)
                {
                    rule.Apply(update);
                }
            }
        }

        return updates;
    }

    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken) =>
        _cache.SetAsync(PlainKey(key), JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.GetTypeInfo(typeof(ChatResponse))), _entryOptions, cancellationToken);

    protected override Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken) =>
        _cache.SetAsync(PlainKey(key), JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.GetTypeInfo(typeof(IReadOnlyList<ChatResponseUpdate>))), _entryOptions, cancellationToken);

    // A loop, not Any(properties.ContainsKey): that made a delegate per call.
    private static bool HasAny(AdditionalPropertiesDictionary properties, string[] keys)
    {
        foreach (var key in keys)
        {
            if (properties.ContainsKey(key))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRefresh(string key) => key.EndsWith(RefreshMarker, StringComparison.Ordinal);

    private static string PlainKey(string key) => IsRefresh(key) ? key[..^RefreshMarker.Length] : key;
}
