// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's distributed cache middleware, off by default (<c>Pipeline:Cache:Enabled</c>). It runs over the
/// <see cref="IDistributedCache"/> service (Redis when <c>AI:Redis</c> is set), else over one
/// <see cref="MemoryDistributedCache"/> of this process. <c>Lifetime</c> is how long an answer is kept (default 1 hour).
/// The cache key holds the provider, its endpoint, the model and every request option, so two clients share an answer only
/// when they would ask the same provider the same thing.
/// </summary>
internal sealed class CacheStage : BuilderChatPipelineStage<TimeSpan>
{
    public const string LifetimeKey = "Lifetime";

    private static readonly TimeSpan s_defaultLifetime = TimeSpan.FromHours(1);
    private readonly Lazy<MemoryDistributedCache> _memory = new(() => new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

    public override string Name => "Cache";

    public override int Order => ChatPipelineOrder.Cache;

    /// <summary>Gets the per-call key the cache reads.</summary>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsCacheExtensions.ModeKey];

    public override bool IsEnabled(ChatPipelineContext context) => false;

    public override TimeSpan Read(ChatPipelineContext context, List<string> errors)
    {
        var lifetime = ConfigurationReader.GetDuration(context.Section, LifetimeKey, errors, context.SectionPath);
        if (lifetime <= TimeSpan.Zero)
        {
            errors.Add($"{context.SectionPath}:{LifetimeKey} must be positive.");
        }

        return lifetime ?? s_defaultLifetime;
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context, TimeSpan lifetime)
    {
        var cache = context.Services.GetService<IDistributedCache>() ?? _memory.Value;
        var settings = context.Settings;

        // The per-call keys the stages declare change how an answer is obtained, not what it is, unless a stage says
        // otherwise (the tenant): those stay out of the cache key, so a stage added later is covered without a list here.
        var stages = context.Services.GetServices<IChatPipelineStage>().ToList();
        var answerKeys = stages.SelectMany(s => s.CacheKeyCallOverrideKeys).ToHashSet(StringComparer.Ordinal);
        string[] excluded = [.. stages.SelectMany(s => s.CallOverrideKeys).Where(k => !answerKeys.Contains(k)).Distinct(StringComparer.Ordinal)];
        IChatCacheHitRule[] hitRules = [.. context.Services.GetServices<IChatCacheHitRule>()];
        builder.Use(inner => new ConfiguredCachingChatClient(inner, cache, lifetime, excluded, hitRules)
        {
            CacheKeyAdditionalValues = ["provider:" + settings.Provider, "endpoint:" + settings.Endpoint, "model:" + settings.Model],
        });
    }
}
