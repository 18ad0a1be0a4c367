// Licensed under the MIT License.

using Microsoft.Extensions.AI;

namespace LlmAdapters.Hosting;

/// <summary>
/// Per-call overrides of the configured response cache (the <c>Cache</c> stage) carried in
/// <see cref="ChatOptions.AdditionalProperties"/>: bypass it, or refresh the cached answer. The override keys of the pipeline
/// (this one, retry, timeouts, fallback, budget) are not part of the cache key, so a refreshed answer is the one later calls read.
/// </summary>
public static class ChatOptionsCacheExtensions
{
    /// <summary>The key of this call's cache mode (a <see cref="ChatCacheMode"/>, or its name).</summary>
    public const string ModeKey = "llmadapters.cache.mode";

    /// <summary>Sets how this call uses the cache.</summary>
    /// <param name="options">The options.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a <see cref="ChatCacheMode"/> value.</exception>
    public static ChatOptions WithCacheMode(this ChatOptions options, ChatCacheMode mode)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a ChatCacheMode value.");
        }

        return ChatCallOverrides.Set(options, ModeKey, mode);
    }

    /// <summary>Bypasses the cache for this call: no cached answer is read, and the answer is not stored.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithoutCache(this ChatOptions options) => options.WithCacheMode(ChatCacheMode.Bypass);

    /// <summary>Refreshes the cache for this call: no cached answer is read, and the fresh answer replaces it.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithCacheRefresh(this ChatOptions options) => options.WithCacheMode(ChatCacheMode.Refresh);

    /// <summary>Gets this call's cache mode override.</summary>
    /// <param name="options">The options, if any.</param>
    /// <returns>The mode, or <see langword="null"/> when the call does not override it.</returns>
    /// <exception cref="ArgumentException">The value is not a <see cref="ChatCacheMode"/> nor its name: a mistake, never ignored.</exception>
    public static ChatCacheMode? GetCacheMode(this ChatOptions? options) => ChatCallOverrides.GetEnum<ChatCacheMode>(options, ModeKey);
}
