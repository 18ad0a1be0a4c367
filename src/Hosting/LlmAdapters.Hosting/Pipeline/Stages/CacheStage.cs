// Licensed under the MIT License.

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace LlmAdapters.Hosting;

/// <summary>
/// M.E.AI's distributed cache middleware (<c>UseDistributedCache</c>), off by default; it needs an
/// <see cref="IDistributedCache"/> service.
/// </summary>
internal sealed class CacheStage : BuilderChatPipelineStage
{
    public override string Name => "Cache";

    public override int Order => ChatPipelineOrder.Cache;

    public override bool IsEnabled(ChatPipelineContext context) => false;

    public override IEnumerable<string> Validate(ChatPipelineContext context)
    {
        if (context.Services.GetService<IDistributedCache>() is null)
        {
            yield return $"{context.SectionPath}:Enabled is true, but no IDistributedCache service is registered: add one (e.g. services.AddDistributedMemoryCache()) or turn the cache off.";
        }
    }

    protected override void Configure(ChatClientBuilder builder, ChatPipelineContext context)
    {
        var cache = context.Services.GetRequiredService<IDistributedCache>();
        builder.Use(inner => new CostMarkingDistributedCachingChatClient(inner, cache));
    }
}
