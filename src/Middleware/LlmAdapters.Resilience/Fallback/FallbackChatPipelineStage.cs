// Licensed under the MIT License.

using LlmAdapters.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace LlmAdapters.Resilience;

/// <summary>
/// Fallback along other models of the client (<c>Fallback:Models</c>) and then other configured clients (<c>Fallback:Clients</c>),
/// and typed fallbacks by error kind (<c>Fallback:ByKind:{Kind}</c>, a list of clients), on when any lists something. Keys:
/// <c>On</c> (RateLimited, Overloaded, Timeout, Unavailable, ModelNotFound), <c>FailureThreshold</c> (5), <c>SamplingWindow</c> (30s),
/// <c>BreakDuration</c> (30s), <c>Strategy</c> (Ordered, Weighted, LeastBusy, LowestLatency, LowestCost; Ordered), <c>Weights:{Target}</c>,
/// <c>Affinity</c> (None or Conversation; None), <c>AffinityDuration</c> (1h). Cool-downs, latencies and conversations are
/// shared through the registered <see cref="IChatRoutingStore"/> (on Redis when <c>AI:Redis</c> is configured).
/// </summary>
public sealed class FallbackChatPipelineStage : ChatPipelineStage<FallbackChatClientOptions>
{
    /// <inheritdoc/>
    public override string Name => "Fallback";

    /// <inheritdoc/>
    public override int Order => ChatPipelineOrder.Fallback;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> CallOverrideKeys => [ChatOptionsFallbackExtensions.ClientsKey];

    /// <inheritdoc/>
    public override bool IsEnabled(ChatPipelineContext context) =>
        context.Section.GetSection(FallbackChatClientOptions.ClientsKey).Exists() ||
        context.Section.GetSection(FallbackChatClientOptions.ModelsKey).Exists() ||
        context.Section.GetSection(FallbackChatClientOptions.ByKindKey).Exists();

    /// <inheritdoc/>
    public override FallbackChatClientOptions Read(ChatPipelineContext context, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new FallbackChatClientOptions
        {
            TimeProvider = context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System,
            PrimaryName = context.ClientName,
        };
        options.Read(context.Section, errors);

        var clientsPath = context.SectionPath + ":" + FallbackChatClientOptions.ClientsKey;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in context.Section.GetSection(FallbackChatClientOptions.ClientsKey).GetChildren())
        {
            var name = child.Value?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{clientsPath}:{child.Key} is empty: name a configured client.");
            }
            else if (string.Equals(name, context.ClientName, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{clientsPath}:{child.Key} names '{name}', the client itself: a client cannot fall back to itself.");
            }
            else if (!seen.Add(name))
            {
                errors.Add($"{clientsPath}:{child.Key} names '{name}' a second time.");
            }
        }

        foreach (var child in context.Section.GetSection(FallbackChatClientOptions.ModelsKey).GetChildren())
        {
            if (string.IsNullOrWhiteSpace(child.Value))
            {
                errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.ModelsKey}:{child.Key} is empty: name a model.");
            }
        }

        options.Clients = ConfigurationReader.GetList(context.Section, FallbackChatClientOptions.ClientsKey);
        options.Models = ConfigurationReader.GetList(context.Section, FallbackChatClientOptions.ModelsKey);
        ValidateRouting(context, options, errors);
        ValidateTargets(context, errors);
        options.KindOnlyClients = FallbackChatClientBuilderExtensions.KindOnly(options.FallbackByKind, options.Clients);

        // With a shared store registered (AI:Redis), a target cooled down by one process is skipped by every process,
        // and latencies and conversations are shared too.
        options.Store = context.Services.GetService(typeof(IChatRoutingStore)) as IChatRoutingStore;
        options.PriceLookup = context.Services.GetService(typeof(IModelPriceLookup)) as IModelPriceLookup;
        options.TokenEstimator = context.Services.GetService(typeof(ITokenEstimator)) as ITokenEstimator;
        if (options.Strategy == ChatRoutingStrategy.LowestCost && options.PriceLookup is null)
        {
            errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.StrategyKey} is LowestCost, but no price catalog is registered: register an {nameof(IModelPriceLookup)} (LlmAdapters.Cost's PriceCatalog; a configured host does).");
        }

        return options;
    }

    /// <summary>
    /// Checks what the routing keys name, with the key path: every client of a typed fallback is named once, never the
    /// client itself (whether it is configured, and whether a chain leads back, the configured clients check); every weight
    /// names a target of the order (the client itself, a model of <c>Models</c>, a client of <c>Clients</c>).
    /// </summary>
    private static void ValidateRouting(ChatPipelineContext context, FallbackChatClientOptions options, List<string> errors)
    {
        foreach (var (kind, names) in options.FallbackByKind)
        {
            var path = $"{context.SectionPath}:{FallbackChatClientOptions.ByKindKey}:{kind}";
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
            {
                if (string.Equals(name, context.ClientName, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{path} names '{name}', the client itself: a client cannot fall back to itself.");
                }
                else if (!seen.Add(name))
                {
                    errors.Add($"{path} names '{name}' a second time.");
                }
            }
        }

        var targets = new List<string> { context.ClientName };
        targets.AddRange(options.Models);
        targets.AddRange(options.Clients);
        foreach (var name in options.Weights.Keys)
        {
            if (!targets.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.WeightsKey}:{name} is not a target of this client. Its targets: {string.Join(", ", targets)}.");
            }
        }

        if (options.Weights.Count > 0 && options.Strategy != ChatRoutingStrategy.Weighted)
        {
            errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.WeightsKey} is set, but {context.SectionPath}:{FallbackChatClientOptions.StrategyKey} is {options.Strategy}: weights apply to the Weighted strategy only.");
        }
    }

    /// <summary>
    /// Checks the clients a client falls back to (<c>Clients</c>, then each <c>ByKind:{Kind}</c>): each must be a configured
    /// client, and no chain of fallbacks may lead back to the client (building it would never end). Needs the configured
    /// clients (<see cref="ChatPipelineContext.ClientNames"/>); a context made without them checks nothing here.
    /// </summary>
    private void ValidateTargets(ChatPipelineContext context, List<string> errors)
    {
        if (context.ClientNames.Count == 0)
        {
            return;
        }

        foreach (var (key, target) in TargetKeys(context.Section))
        {
            if (!context.ClientNames.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{context.SectionPath}:{key} names '{target}', which is not a configured client. Configured clients: {string.Join(", ", context.ClientNames)}.");
            }
        }

        if (FindCycle(context, context.ClientName, [context.ClientName]) is { } cycle)
        {
            errors.Add($"{context.SectionPath}:{FallbackChatClientOptions.ClientsKey} leads back to '{context.ClientName}' ({string.Join(" -> ", cycle)}): a client cannot fall back to itself, directly or through others.");
        }
    }

    /// <summary>The clients a fallback section names, each with its key under the section: <c>Clients</c>, then each <c>ByKind:{Kind}</c>.</summary>
    private static IEnumerable<(string Key, string Target)> TargetKeys(IConfiguration fallback)
    {
        foreach (var target in ConfigurationReader.GetList(fallback, FallbackChatClientOptions.ClientsKey))
        {
            yield return (FallbackChatClientOptions.ClientsKey, target);
        }

        foreach (var kind in fallback.GetSection(FallbackChatClientOptions.ByKindKey).GetChildren())
        {
            foreach (var target in ConfigurationReader.GetList(kind, string.Empty))
            {
                yield return (FallbackChatClientOptions.ByKindKey + ":" + kind.Key, target);
            }
        }
    }

    private List<string>? FindCycle(ChatPipelineContext context, string start, List<string> path)
    {
        var section = string.Equals(path[^1], start, StringComparison.OrdinalIgnoreCase)
            ? context.Section
            : context.GetClientConfiguration(path[^1])?.GetSection("Pipeline:" + Name);
        if (section is null)
        {
            return null;
        }

        foreach (var target in TargetKeys(section).Select(t => t.Target).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (string.Equals(target, start, StringComparison.OrdinalIgnoreCase))
            {
                return [.. path, target];
            }

            if (context.ClientNames.Contains(target, StringComparer.OrdinalIgnoreCase) && !path.Contains(target, StringComparer.OrdinalIgnoreCase) &&
                FindCycle(context, start, [.. path, target]) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override IChatClient Apply(IChatClient innerClient, ChatPipelineContext context, FallbackChatClientOptions options) =>
        BuilderChatPipelineStage.Build(innerClient, context, builder => builder.UseFallback(options, context.GetFallbackClient));
}
